#!/usr/bin/perl
# nwsplit.pl OUTDIR: split the output of one `noweave -n -index` run over
# several files into one LaTeX file per source (OUTDIR/NAME.tex for
# NAME.nw), so that a chapter can \input the modules it weaves in wherever
# its story needs them, while the cross-references and the indexes still
# span every file of the run.  The index lines noweave puts at the end go
# to OUTDIR/index.tex.  A file whose text is unchanged is not rewritten.
use strict;
use warnings;

my $outdir = shift @ARGV or die "usage: nwsplit.pl OUTDIR < woven.tex\n";
local $/;
my $text = <STDIN>;
die "nwsplit.pl: no \\nwfilename in the input\n" unless $text =~ /\\nwfilename\{/;

my $index = '';
$index .= $1 while $text =~ s/^(\\nwixlogsorted\{.*\}%\n)//m;

my %part;
for my $piece (split /(?=\\nwfilename\{)/, $text) {
    next unless $piece =~ /^\\nwfilename\{([^}]*)\}/;
    my ($name) = $1 =~ m{([^/]*)\.nw$} or die "nwsplit.pl: odd file name $1\n";
    $part{$name} .= $piece;
}
$part{index} = $index;

for my $name (sort keys %part) {
    my $path = "$outdir/$name.tex";
    my $old = '';
    if (open my $in, '<', $path) { $old = <$in>; close $in; }
    next if $old eq $part{$name};
    open my $out, '>', "$path.tmp" or die "nwsplit.pl: $path.tmp: $!\n";
    print $out $part{$name} or die "nwsplit.pl: $path.tmp: $!\n";
    close $out or die "nwsplit.pl: $path.tmp: $!\n";
    rename "$path.tmp", $path or die "nwsplit.pl: $path: $!\n";
}

#!/usr/bin/perl
# nwsplit.pl OUTDIR: split the output of one `noweave -n -index` run over
# several files into LaTeX files per source, so that a chapter can \input
# the modules it weaves in wherever its story needs them, while the
# cross-references and the indexes still span every file of the run.
#
# - OUTDIR/NAME.tex holds the main matter of NAME.nw;
# - OUTDIR/NAME-appendix.tex holds what the source sends to the appendix:
#   everything after a documentation line "%% appendix", up to a line
#   "%% main" (plumbing a reader skips: option tables, file writing,
#   gnuplot scripts).  It is written, possibly empty, for every source.
# - OUTDIR/index.tex holds the index lines noweave puts at the end.
#
# Quoted code in the text ([[make chapter1 ARGS="--t0 6"]]) is kept on one
# line: its spaces become unbreakable.  A file whose text is unchanged is
# not rewritten.
use strict;
use warnings;

my $outdir = shift @ARGV or die "usage: nwsplit.pl OUTDIR < woven.tex\n";
local $/;
my $text = <STDIN>;
die "nwsplit.pl: noweave wrote nothing (is noweb installed? apt-get install noweb)\n"
    unless length $text;
die "nwsplit.pl: no \\nwfilename in the input\n" unless $text =~ /\\nwfilename\{/;

my $index = '';
$index .= $1 while $text =~ s/^(\\nwixlogsorted\{.*\}%\n)//m;

# [[...]] in documentation is woven as {\Tt{}...\nwendquote}.
$text =~ s{(\{\\Tt\{\})(.*?)(\\nwendquote\})}{
    my ($a, $q, $b) = ($1, $2, $3); $q =~ s/\\ /~/g; $q =~ s/\s+/~/g; "$a$q$b"
}gse;

# In code, ' and ` print as the straight quote and the grave accent that
# a reader types (the code font's own are curly, and '' would join into
# one closing double quote): gnuplot's '' stays two quotes, C's '\n'
# copies as it runs.  Chunk names (between \LA{} and \RA{}) are prose.
{
    my $in_code = 0;
    my @lines = split /^/, $text;
    for (@lines) {
        if (/\\nwbegincode\{/) { $in_code = 1; next; }
        if (/\\nwendcode\{/) { $in_code = 0; next; }
        next unless $in_code;
        $_ = join '', map {
            /^\\LA\{\}/ ? $_ : do { (my $c = $_) =~ s/'/{\\textquotesingle}/g;
                                    $c =~ s/`/{\\textasciigrave}/g; $c }
        } split /(\\LA\{\}.*?\\RA\{\})/;
    }
    $text = join '', @lines;
}

# A long chunk may break across pages, but only where at least four of its
# lines stay at the foot of one page and three go to the head of the next,
# never before a brace, and best at a blank line: \nwbreak{PENALTY} before
# each such line of a chunk of ten lines or more.  Shorter chunks stay
# whole.
{
    my $meta = qr/^\\nw(?:indexdefn|indexuse|used|notused|alsodefined|identdefs|identuses|endcode)/;
    my @lines = split /^/, $text;
    my $start = -1;
    for my $i (0 .. $#lines) {
        if ($lines[$i] =~ /\\nwbegincode\{/) { $start = $i; next; }
        next if $start < 0 || $lines[$i] !~ $meta;
        my $n = $i - $start - 1;                # code lines start+1 .. start+n
        for my $j (5 .. $n - 2) {
            my $line = \$lines[$start + $j];
            next if $$line =~ /^\s*\\[{}]/;
            $$line = ($$line =~ /^\s*$/ ? "\\nwbreak{-50}" : "\\nwbreak{50}") . $$line;
        }
        $start = -1;
    }
    $text = join '', @lines;
}

# A switch line right after "@ %def ..." is woven on the line that opens
# the documentation ("\nwbegindocs{7}%% main"): give it a line of its own.
# Any other switch not at the start of a line would be lost: refuse it.
$text =~ s/(\\nwbegindocs\{\d+\})(%% (?:appendix|main)[ \t]*\n)/$1\n$2/g;
die "nwsplit.pl: a '%% appendix' or '%% main' line is not a line of its own: $1\n"
    if $text =~ /([^\n]{0,60}\S[ \t]*%% (?:appendix|main)[ \t]*\n)/;

my %part;
for my $piece (split /(?=\\nwfilename\{)/, $text) {
    next unless $piece =~ /^\\nwfilename\{([^}]*)\}/;
    my ($name) = $1 =~ m{([^/]*)\.nw$} or die "nwsplit.pl: odd file name $1\n";
    my ($main, $appendix, $where) = ('', '', 'main');
    for my $chunk (split /^(%% (?:appendix|main)[ \t]*\n)/m, $piece) {
        if ($chunk =~ /^%% (appendix|main)/) { $where = $1; next; }
        if ($where eq 'main') { $main .= $chunk } else { $appendix .= $chunk }
    }
    $part{$name} .= $main;
    $part{"$name-appendix"} .= $appendix;
}
$part{index} = $index;

for my $name (sort keys %part) {
    my $path = "$outdir/$name.tex";
    my $old;
    if (open my $in, '<', $path) { $old = <$in> // ''; close $in; }
    next if defined $old && $old eq $part{$name};
    open my $out, '>', "$path.tmp" or die "nwsplit.pl: $path.tmp: $!\n";
    print $out $part{$name} or die "nwsplit.pl: $path.tmp: $!\n";
    close $out or die "nwsplit.pl: $path.tmp: $!\n";
    rename "$path.tmp", $path or die "nwsplit.pl: $path: $!\n";
}

#!/usr/bin/perl
# checkcode.pl MAXCOL MAXLINES FILE.nw...: the printed page's rules for code.
# Every code line fits the text block (at most MAXCOL characters, tabs
# expanded to 8), and every chunk is short enough to sit under the prose
# that explains it (at most MAXLINES lines).  Each breach is one line,
# "FILE:LINE: <<chunk>>: what", and the exit status is 1.
use strict;
use warnings;

my ($maxcol, $maxlines, @files) = @ARGV;
die "usage: checkcode.pl MAXCOL MAXLINES FILE.nw...\n" unless @files;
my $bad = 0;
for my $f (@files) {
    open my $in, '<', $f or die "checkcode.pl: $f: $!\n";
    my ($chunk, $start, $n);
    while (my $line = <$in>) {
        chomp $line;
        if ($line =~ /^<<(.*)>>=\s*$/) { ($chunk, $start, $n) = ($1, $., 0); next }
        if (defined $chunk && $line =~ /^@( |$)/) {
            if ($n > $maxlines) {
                print "$f:$start: <<$chunk>>: $n lines (at most $maxlines;",
                      " split it into named steps)\n";
                $bad = 1;
            }
            undef $chunk;
            next;
        }
        next unless defined $chunk;
        $n++;
        1 while $line =~ s/\t+/' ' x (length($&) * 8 - length($`) % 8)/e;
        my $plain = $line;
        $plain =~ s/\[\[(.*?)\]\]/$1/g;
        my $w = length $plain;
        if ($w > $maxcol) {
            print "$f:$.: <<$chunk>>: a code line of $w characters",
                  " (at most $maxcol fit the page)\n";
            $bad = 1;
        }
    }
}
exit $bad;

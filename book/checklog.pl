#!/usr/bin/perl
# checklog.pl LOG: fails (exit 1) on every overfull box over 1 pt that
# LaTeX reports in LOG, naming the source file, its lines and the start of
# the text that runs into the margin, and on every float too large for
# the page (LaTeX then holds it back to the end of the chapter).
use strict;
use warnings;

my $log = shift or die "usage: checklog.pl LOG\n";
open my $in, '<', $log or die "checklog.pl: $log: $!\n";
my ($bad, @stack) = (0);       # the files LaTeX has open, innermost last
my @lines = <$in>;
for my $i (0 .. $#lines) {
    my $l = $lines[$i];
    my $file = (grep { defined } @stack)[-1] // '?';
    unless ($l =~ /^(Overfull|Underfull|Package|LaTeX|\[\]|\s*\[\])/) {
        while ($l =~ /(\((\.?\/?[\w\/.-]+\.\w+)?|\))/g) {
            if ($1 eq ')') { pop @stack } else { push @stack, $2 }
        }
    }
    if ($l =~ /^LaTeX Warning: Float too large for page by ([\d.]+pt) on input line (\d+)/) {
        print "$file:$2: a figure or table is $1 too tall for the page; ",
              "LaTeX moves it to the end of the chapter (shorten its caption)\n";
        $bad = 1;
        next;
    }
    next unless $l =~ /^Overfull \\[hv]box \(([\d.]+)pt too (?:wide|high)\)(.*)/;
    next if $1 <= 1;
    my ($pt, $where) = ($1, $2);
    my $text = $lines[$i + 1] // '';
    $text =~ s/\s+$//;
    $text =~ s/\\T1\/[\w\/.-]+\s?//g;
    print "$file:$where: overfull box, ${pt} pt into the margin: ",
          substr($text, 0, 60), "\n";
    $bad = 1;
}
exit $bad;

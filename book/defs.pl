#!/usr/bin/perl
# defs.pl: a noweb filter (noweave -filter 'perl book/defs.pl' -index ...)
# that marks the definitions the identifier index and the chunk footers
# list: the names the C code defines at file scope, and nothing else.
#
# Each root chunk is walked as the compiler will see it after tangling,
# counting braces, so a line is known to be at file scope (depth 0) even
# when it sits in a chunk of its own.  On such a line a definition is
#   #define NAME            a macro
#   TYPE NAME(...) {        a function (a prototype, ending in ';', is
#                           only a declaration, and not listed)
#   TYPE NAME = / [ / ;     a variable at file scope
#   } NAME;                 the end of a typedef struct/enum/union
#   typedef ... NAME;       a one-line typedef (also (*NAME)(...) pointers)
#   struct|enum|union NAME {
#   enum { A, B = 2 };      enumerators (also over several lines)
# Locals, library types, words in comments and gnuplot scripts (roots
# named *.gp) are never definitions.  Explicit `@ %def` lines still count,
# for the names the walk finds defined nowhere: every name is listed at
# one place, where the compiler sees its definition.
#
# A name defined in two different source files is an error (the index
# would merge two different things): it is reported on stderr, and the
# filter exits 1.
use strict;
use warnings;

my %keyword = map { $_ => 1 } qw(if else for while do switch case return
    goto break continue sizeof static const extern inline unsigned signed
    volatile register struct enum union typedef int char long short double
    float void main);

my @input = <STDIN>;
my (%occ, %used, @order);      # chunk name -> [occurrence indices]
my (@lines, @file, @explicit); # per occurrence: [[piece...]...], file, {name}
{
    my ($file, $cur, $line) = ('', -1, []);
    for (@input) {
        if (/^\@file (.*)/) { $file = $1 }
        elsif (/^\@begin code/) { push @lines, []; push @file, $file;
                                  push @explicit, {}; $cur = $#lines; $line = [] }
        elsif ($cur >= 0 && /^\@defn (.*)/) { push @{$occ{$1}}, $cur;
                                              push @order, $1 unless $occ{$1}[1] }
        elsif ($cur >= 0 && /^\@text (.*)/) { push @$line, ['t', $1] }
        elsif ($cur >= 0 && /^\@use (.*)/)  { push @$line, ['u', $1]; $used{$1} = 1 }
        elsif ($cur >= 0 && /^\@nl/)        { push @{$lines[$cur]}, $line; $line = [] }
        elsif ($cur >= 0 && /^\@index defn (\S+)/) { $explicit[$cur]{$1} = 1 }
        elsif (/^\@end code/) { push @{$lines[$cur]}, $line if @$line; $cur = -1 }
    }
}

my (@found, %walked);          # per occurrence: names defined at depth 0
my ($inenum, $paren) = (0, 0);   # in an enum's braces; open parentheses
my $incomment = 0;               # inside a /* ... */ over several lines
my $function = 0;                # names() found NAME( last
my $pending;                     # [occurrence, NAME] until { or ; decides
sub strip {
    my ($t) = @_;
    my $out = '';
    while ($t ne '') {
        if ($incomment) {
            if ($t =~ s{^.*?\*/}{}) { $incomment = 0 } else { $t = '' }
        } elsif ($t =~ s{^([^/"']+|/(?![*/]))}{}) { $out .= $1 }
        elsif ($t =~ s{^/\*}{})  { $incomment = 1 }
        elsif ($t =~ s{^//.*}{}) { }
        elsif ($t =~ s{^"(?:[^"\\]|\\.)*"?}{}) { $out .= '""' }
        elsif ($t =~ s{^'(?:[^'\\]|\\.)*'?}{}) { $out .= "''" }
        else { $out .= substr($t, 0, 1, '') }
    }
    return $out;
}
sub names {                     # the names a file-scope line defines
    my ($t) = @_;
    $t =~ s/^\s+//;
    return () if $t eq '';
    return ($1) if $t =~ /^#\s*define\s+([A-Za-z_]\w*)/;
    return () if $t =~ /^#/;
    return ($1) if $t =~ /^\}\s*([A-Za-z_]\w*)\s*[,;]/;
    return ($1) if $t =~ /^typedef\b.*\(\s*\*\s*([A-Za-z_]\w*)\s*\)/;
    return ($1) if $t =~ /^typedef\b[^{]*?([A-Za-z_]\w*)\s*;/;
    my @n;
    push @n, $1 if $t =~ /^(?:typedef\s+)?(?:struct|enum|union)\s+([A-Za-z_]\w*)\s*\{/;
    if ($t =~ /^(?:typedef\s+)?enum\b[^{]*\{([^}]*)/) {
        push @n, map { /^\s*([A-Za-z_]\w*)/ ? $1 : () } split /,/, $1;
        $inenum = $t !~ /\}/;
        return @n;
    }
    return @n if $t =~ /^(?:typedef\s+)?(?:struct|union)\b/ || $t =~ /^[{}]/;
    my $decl = qr/^(?:[A-Za-z_]\w*[\s*]+)+\**\s*/;
    return (@n, $1) if $t =~ /$decl([A-Za-z_]\w*)\s*\(/ and $function = 1;
    return (@n, $1) if $t =~ /$decl([A-Za-z_]\w*)\s*(?:\[[^\]]*\]\s*)*(?:[=;,\[]|$)/;
    return @n;
}
sub walk {                      # walk chunk name from brace depth $d
    my ($name, $d) = @_;
    for my $o (@{$occ{$name} || []}) {
        next if $walked{"$o $d"}++ > 0 && $d > 0;
        for my $line (@{$lines[$o]}) {
            my ($start, $open) = ($d, $paren);
            my $text = '';
            for my $p (@$line) {
                if ($p->[0] eq 'u') { $d = walk($p->[1], $d); next }
                my $t = strip($p->[1]);
                $text .= $t;
                $d += () = $t =~ /\{/g;
                $d -= () = $t =~ /\}/g;
                $paren += () = $t =~ /\(/g;
                $paren -= () = $t =~ /\)/g;
            }
            if ($pending && $paren == 0) {  # a function's head is complete
                my ($after) = $text =~ /([^)]*)$/;
                if ($open == 0 && $start == 0 && $text =~ /^\s*\{/) {
                    push @{$found[$pending->[0]]}, $pending->[1];
                    undef $pending;
                } elsif ($after =~ /;/) { undef $pending }          # prototype
                elsif ($after =~ /\{/) {
                    push @{$found[$pending->[0]]}, $pending->[1];
                    undef $pending;
                } elsif ($open == 0 && $text =~ /\S/ && $text !~ /\(/) {
                    undef $pending;                                 # neither
                }
            }
            next if $open > 0;              # the rest of a declaration
            if ($start == 0 || ($inenum && $start == 1)) {
                if ($inenum && $start == 1) {
                    push @{$found[$o]}, map { /^\s*([A-Za-z_]\w*)/ ? $1 : () }
                                        split /,/, $text;
                    $inenum = 0 if $text =~ /\}/;
                } else {
                    $function = 0;
                    my @n = names($text);
                    if ($function) {        # decided by ; or { (maybe later)
                        my $f = pop @n;
                        if ($paren == 0 && $text =~ /\)[^)]*;\s*$/) { }
                        elsif ($paren == 0 && $text =~ /\)[^)]*\{/) { push @n, $f }
                        else { $pending = [$o, $f] }
                    }
                    push @{$found[$o]}, @n;
                }
            } elsif ($inenum && $text =~ /\}/) { $inenum = 0 }
        }
    }
    return $d;
}
for my $root (grep { !$used{$_} && !/\.gp$/ } @order) { walk($root, 0) }
my %walkdef = map { $_ => 1 } map { @{$_ || []} } @found;

my (%where, $status);
my $cur = -1;
for (@input) {
    $cur++ if /^\@begin code/;
    if (/^\@end code/ && $cur >= 0) {
        my %here = map { $_ => 1 } @{$found[$cur] || []};
        my %seen = map { $_ => 1 }
                   grep { !$walkdef{$_} || $here{$_} } keys %{$explicit[$cur]};
        delete $seen{main};
        for my $n (@{$found[$cur] || []}) {
            next if $keyword{$n} || $seen{$n}++;
            print "\@index defn $n\n";
        }
        for my $n (keys %seen) {
            my $first = $where{$n} //= $file[$cur];
            next if $first eq $file[$cur];
            print STDERR "$file[$cur]: '$n' is also defined in $first "
                       . "(give one of them another name)\n";
            $status = 1;
        }
    }
    next if /^\@index defn main$/;    # every program has one: not indexed
    # an explicit %def of a name whose definition the walk found elsewhere
    next if /^\@index defn (\S+)$/ && $walkdef{$1}
            && !grep { $_ eq $1 } @{$found[$cur] || []};
    print;
}
exit($status ? 1 : 0);

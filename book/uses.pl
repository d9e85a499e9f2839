#!/usr/bin/perl
# uses.pl: a noweb filter, run after finduses.  finduses marks every
# occurrence of a defined name in code as a use; this keeps only the
# real ones:
# - none inside C comments and string or character literals, where a
#   word ("measure", "phrase", a data file's name) is not a use of the
#   identifier it spells.  The lexical state is followed along each code
#   chunk: a block comment may span lines; a line comment, a string and
#   a character literal end at the line's end at the latest;
# - a name defined in a chapter (chapters/*.nw) is used only in that
#   chapter: each chapter is its own program, and another chapter's
#   local of the same name is not a use of it.  Names of the core
#   (lib/*.nw) are used everywhere.
# The text itself passes through unchanged.
use strict;
use warnings;

my @lines = <STDIN>;

# Where each name is defined: the files, and whether any is the core's.
my (%home, %core, $file);
for (@lines) {
    if (/^\@file (.*)$/) { $file = $1; }
    elsif (/^\@index defn (.*)$/) {
        $home{$1}{$file} = 1;
        $core{$1} = 1 unless $file =~ m{(^|/)chapters/};
    }
}

my ($in_code, $state) = (0, 'code');    # code, block, line, dq, sq

# Advances the state over the text t.
sub scan {
    my ($t) = @_;
    for (my $i = 0; $i < length $t; $i++) {
        my $c = substr($t, $i, 1);
        my $two = substr($t, $i, 2);
        if ($state eq 'code') {
            if ($two eq '/*') { $state = 'block'; $i++; }
            elsif ($two eq '//') { $state = 'line'; $i++; }
            elsif ($c eq '"') { $state = 'dq'; }
            elsif ($c eq "'") { $state = 'sq'; }
        } elsif ($state eq 'block') {
            if ($two eq '*/') { $state = 'code'; $i++; }
        } elsif ($state eq 'dq' || $state eq 'sq') {
            my $close = $state eq 'dq' ? '"' : "'";
            if ($c eq '\\') { $i++; }
            elsif ($c eq $close) { $state = 'code'; }
        }
    }
}

for my $line (@lines) {
    if ($line =~ /^\@file (.*)$/) {
        $file = $1;
    } elsif ($line =~ /^\@begin code /) {
        ($in_code, $state) = (1, 'code');
    } elsif ($line =~ /^\@end code /) {
        $in_code = 0;
    } elsif ($in_code && $line =~ /^\@text (.*)$/) {
        scan($1);
    } elsif ($in_code && $line =~ /^\@nl$/) {
        $state = 'code' unless $state eq 'block';
    } elsif ($in_code && $line =~ /^\@index use (.*)$/) {
        my $name = $1;
        next if $state ne 'code';
        next if $home{$name} && !$core{$name} && !$home{$name}{$file};
    }
    print $line;
}

#!/usr/bin/perl
# A misbehaving server for the net workload's tests, on 127.0.0.1 and an ephemeral port
# that it prints first. silent: accepts, reads, never answers. short: answers 100 bytes of
# the 4 KiB asked for, then closes. early: answers 4 KiB at once, whatever latency_ms was
# asked. It exits by itself after 60 seconds at the latest.
use strict;
use warnings;
use IO::Socket::INET;

my $mode = shift or die "usage: fake-server.pl silent|short|early\n";
my $srv = IO::Socket::INET->new(LocalAddr => '127.0.0.1', LocalPort => 0, Listen => 1024,
                                ReuseAddr => 1) or die "listen: $!\n";
$| = 1;
print $srv->sockport(), "\n";
alarm 60;
my @held;
while (my $c = $srv->accept()) {
    my $line = <$c>;
    if ($mode eq 'short' || $mode eq 'early') {
        print $c 'x' x ($mode eq 'short' ? 100 : 4096);
        close $c;
    } else {
        push @held, $c;    # keeps the connection open and silent
    }
}

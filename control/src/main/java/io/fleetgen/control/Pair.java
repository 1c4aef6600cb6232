package io.fleetgen.control;

/** A sender and its receiver, started together. */
public final class Pair {
    private final Sender sender;
    private final Receiver receiver;

    Pair(Sender sender, Receiver receiver) {
        this.sender = sender;
        this.receiver = receiver;
    }

    public Sender sender() {
        return sender;
    }

    public Receiver receiver() {
        return receiver;
    }

    /** Stops the sender, waits until the receiver has counted what was sent (at most 10 s), stops it. */
    public void stop() {
        sender.stop();
        try {
            receiver.waitUntil(s -> s.counters().recv() + s.counters().corrupt() >= sender.sent(), 10);
        } finally {
            receiver.stop();
        }
    }
}

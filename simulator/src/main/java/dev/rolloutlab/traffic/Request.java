package dev.rolloutlab.traffic;

/** One request of the plan, from its intended send time until it is recorded; confined to its lane's event loop. */
final class Request {
    final long seq;
    final long intended;
    final int user;
    /** Its kind in the generator's mix. */
    final int kind;
    /** Recorded (answered, failed or timed out) or given up: nothing may record it again. */
    boolean done;
    /** The connection it went out on or is being connected for; null while it waits for one. */
    Connection connection;
    /** It waited for a connection with every one up to the cap open: the generator's limit, not the service's. */
    boolean atCap;

    Request(long seq, long intended, int user, int kind) {
        this.seq = seq;
        this.intended = intended;
        this.user = user;
        this.kind = kind;
    }
}

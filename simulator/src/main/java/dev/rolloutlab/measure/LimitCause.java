package dev.rolloutlab.measure;

/**
 * Why the generator could not make a request on time. Such a request is the generator's failure, never the
 * service's: it is counted apart and left out of every service metric.
 */
public enum LimitCause {
    /** Its deadline (intended time + timeout) passed before the generator could send it. */
    EXPIRED_UNSENT("expiredUnsent"),
    /** It waited for a connection, with every connection up to {@code load.maxConnections} busy, until its deadline. */
    NO_CONNECTION("noConnection"),
    /** The generator's event loop ran later than the send-lag bound while the request was due or in flight. */
    LOOP_LATE("loopLate");

    private final String key;

    LimitCause(String key) {
        this.key = key;
    }

    /** Its name in result.json. */
    public String key() {
        return key;
    }
}

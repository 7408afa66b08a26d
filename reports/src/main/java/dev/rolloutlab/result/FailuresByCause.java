package dev.rolloutlab.result;

/** Failed requests by what the client saw. */
public record FailuresByCause(long refused, long reset, long timeout, long http5xx, long http4xx, long other) {
    public long total() {
        return refused + reset + timeout + http5xx + http4xx + other;
    }
}

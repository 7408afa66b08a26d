package dev.rolloutlab.traffic;

import dev.rolloutlab.measure.StatusSet;
import dev.rolloutlab.measure.Outcome;
import io.netty.channel.ConnectTimeoutException;
import java.io.IOException;
import java.net.ConnectException;
import java.nio.channels.ClosedChannelException;

/** Classifies what a request met into the failure causes of {@code failuresByCause}. */
final class Failures {
    private Failures() {
    }

    static Outcome ofStatus(int status, StatusSet success) {
        if (success.succeeds(status)) {
            return Outcome.SUCCESS;
        }
        if (status >= 500 && status < 600) {
            return Outcome.HTTP5XX;
        }
        if (status >= 400 && status < 500) {
            return Outcome.HTTP4XX;
        }
        return Outcome.OTHER;
    }

    static Outcome ofException(Throwable t) {
        if (t instanceof ConnectTimeoutException) {
            return Outcome.TIMEOUT; // first: netty's ConnectTimeoutException is a ConnectException
        }
        if (t instanceof ConnectException) {
            return Outcome.REFUSED; // includes netty's annotated "Connection refused"
        }
        if (t instanceof ClosedChannelException) {
            return Outcome.RESET; // closed by the server before or while answering
        }
        // "Connection reset by peer" is a plain IOException (SocketException).
        if (t instanceof IOException && t.getMessage() != null && t.getMessage().toLowerCase().contains("reset")) {
            return Outcome.RESET;
        }
        return Outcome.OTHER;
    }
}

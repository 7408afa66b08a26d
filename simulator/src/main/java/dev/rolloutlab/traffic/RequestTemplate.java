package dev.rolloutlab.traffic;

import io.netty.buffer.ByteBuf;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The bytes of one {@link RequestKind}'s requests, made once: constant parts between the places where a request's user
 * id or sequence number goes, so writing a request copies the parts and writes its numbers, and nothing else. A body
 * comes with a {@code Content-Length}, which is its constant parts' length plus its numbers' digits.
 *
 * <p>Without a name, headers or body (a load without a mix) the bytes are the GET the generator always sent:
 * {@code GET path HTTP/1.1}, {@code Host}, {@code X-User}, one part before the user id and one after.
 */
final class RequestTemplate {
    private static final byte USER = 0;
    private static final byte SEQ = 1;
    private static final byte[] USER_MARK = RequestKind.USER.getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SEQ_MARK = RequestKind.SEQ.getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CONTENT_LENGTH = "Content-Length: ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CRLF = {'\r', '\n'};

    /**
     * {@code parts[i]}, then the number {@code holes[i]} names, ..., then the last part; {@code constantLength} is
     * the parts' bytes, counted once rather than for each request's {@code Content-Length}.
     */
    private record Parts(byte[][] parts, byte[] holes, int constantLength) {
        static Parts of(byte[] text) {
            List<byte[]> parts = new ArrayList<>();
            ByteArrayOutputStream holes = new ByteArrayOutputStream();
            int from = 0;
            for (int i = 0; i < text.length; i++) {
                byte hole = at(text, i, USER_MARK) ? USER : at(text, i, SEQ_MARK) ? SEQ : -1;
                if (hole >= 0) {
                    parts.add(Arrays.copyOfRange(text, from, i));
                    holes.write(hole);
                    i += (hole == USER ? USER_MARK : SEQ_MARK).length - 1;
                    from = i + 1;
                }
            }
            parts.add(Arrays.copyOfRange(text, from, text.length));
            return new Parts(parts.toArray(byte[][]::new), holes.toByteArray(),
                parts.stream().mapToInt(p -> p.length).sum());
        }

        private static boolean at(byte[] text, int i, byte[] mark) {
            return Arrays.equals(text, i, Math.min(text.length, i + mark.length), mark, 0, mark.length);
        }

        int length(long seq, int user) {
            int n = constantLength;
            for (byte h : holes) {
                n += h == USER ? digits(user) : digits(seq);
            }
            return n;
        }

        void write(ByteBuf out, long seq, int user) {
            for (int i = 0; i < holes.length; i++) {
                out.writeBytes(parts[i]);
                writeDecimal(out, holes[i] == USER ? user : seq);
            }
            out.writeBytes(parts[holes.length]);
        }
    }

    private final Parts head;
    /** Null without a body: then no {@code Content-Length} either. */
    private final Parts body;
    private final int sizeHint;

    private RequestTemplate(Parts head, Parts body) {
        this.head = head;
        this.body = body;
        this.sizeHint = head.constantLength() + 64 + (body == null ? 0 : body.constantLength() + 64);
    }

    /** @param host the {@code Host} header's value */
    static RequestTemplate of(RequestKind kind, String host) {
        StringBuilder h = new StringBuilder(kind.method()).append(' ').append(kind.path()).append(" HTTP/1.1\r\n")
            .append("Host: ").append(host).append("\r\n");
        if (kind.name() != null) {
            h.append(RequestKind.NAME_HEADER).append(": ").append(kind.name()).append("\r\n");
        }
        for (Map.Entry<String, String> e : kind.headers().entrySet()) {
            h.append(e.getKey()).append(": ").append(e.getValue()).append("\r\n");
        }
        h.append("X-User: ").append(RequestKind.USER).append("\r\n");
        return new RequestTemplate(Parts.of(h.toString().getBytes(StandardCharsets.UTF_8)),
            kind.body().length == 0 ? null : Parts.of(kind.body()));
    }

    /** Bytes a request of this kind takes, about: enough that a buffer of this size rarely grows. */
    int sizeHint() {
        return sizeHint;
    }

    void write(ByteBuf out, long seq, int user) {
        head.write(out, seq, user);
        if (body != null) {
            out.writeBytes(CONTENT_LENGTH);
            writeDecimal(out, body.length(seq, user));
            out.writeBytes(CRLF);
        }
        out.writeBytes(CRLF);
        if (body != null) {
            body.write(out, seq, user);
        }
    }

    private static int digits(long value) {
        int n = 1;
        while (value >= 10) {
            value /= 10;
            n++;
        }
        return n;
    }

    /** Writes a non-negative number without making a string of it. */
    private static void writeDecimal(ByteBuf out, long value) {
        long divisor = 1;
        while (value / divisor >= 10) {
            divisor *= 10;
        }
        for (; divisor > 0; divisor /= 10) {
            out.writeByte((int) ('0' + value / divisor % 10));
        }
    }
}

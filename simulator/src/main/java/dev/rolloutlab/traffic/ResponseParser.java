package dev.rolloutlab.traffic;

import io.netty.buffer.ByteBuf;
import java.net.ProtocolException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads one HTTP/1.x response at a time off a connection, keeping only what the generator records: the status, the
 * version header and whether the connection may carry another request. Bodies are skipped, never copied; header
 * bytes are scanned in a reused array, and served versions (a handful per run) are interned, so a response
 * allocates nothing. Netty's decoder would build a header map and content objects for every response.
 */
final class ResponseParser {
    private static final int MAX_LINE = 64 * 1024;
    private static final int MAX_VERSIONS = 16;
    private static final byte[] CONTENT_LENGTH = ascii("content-length");
    private static final byte[] TRANSFER_ENCODING = ascii("transfer-encoding");
    private static final byte[] CONNECTION = ascii("connection");
    private static final byte[] CHUNKED = ascii("chunked");
    private static final byte[] CLOSE = ascii("close");
    private static final byte[] KEEP_ALIVE = ascii("keep-alive");

    private enum State { STATUS, HEADERS, BODY, CHUNK_SIZE, CHUNK_DATA, CHUNK_END, TRAILERS, UNTIL_CLOSE, DONE }

    private final byte[] versionHeader;
    private final String[] versions = new String[MAX_VERSIONS];
    private int versionCount;
    /** Bytes of the read being parsed, copied in one go: scanning a direct buffer byte by byte is slow. */
    private final byte[] block = new byte[4096];
    private int blockPos;
    private int blockLimit;
    /** A line that arrived over several reads, gathered here. */
    private byte[] partial = new byte[256];
    private int partialLength;
    /** Where the current line is: in {@link #block} or {@link #partial}. */
    private byte[] line;
    private int at;

    private State state;
    private int status;
    private String version;
    private boolean http10;
    private boolean closeToken;
    private boolean keepAliveToken;
    private boolean chunked;
    private long contentLength;
    private long remaining;

    /** @param versionHeader name of the response header naming the served version (any case) */
    ResponseParser(String versionHeader) {
        this.versionHeader = ascii(versionHeader.toLowerCase(java.util.Locale.ROOT));
        reset();
    }

    /** Expects a new response: call before each request goes out. */
    void reset() {
        state = State.STATUS;
        partialLength = 0;
        version = null;
        resetHeaders();
    }

    private void resetHeaders() {
        status = 0;
        http10 = false;
        closeToken = false;
        keepAliveToken = false;
        chunked = false;
        contentLength = -1;
    }

    /**
     * Consumes bytes of the current response.
     *
     * @return true when the response is complete; bytes after it are left in {@code buf}
     */
    boolean feed(ByteBuf buf) throws ProtocolException {
        try {
            return parse(buf);
        } finally {
            blockPos = blockLimit = 0; // the block mirrors this buffer only
        }
    }

    private boolean parse(ByteBuf buf) throws ProtocolException {
        while (true) {
            switch (state) {
                case STATUS -> {
                    int n = readLine(buf);
                    if (n < 0) {
                        return false;
                    }
                    if (n > 0) { // an empty line before the status line is tolerated (RFC 9112 §2.2)
                        statusLine(n);
                        state = State.HEADERS;
                    }
                }
                case HEADERS -> {
                    int n = readLine(buf);
                    if (n < 0) {
                        return false;
                    }
                    if (n > 0) {
                        header(n);
                    } else if (endOfHeaders()) {
                        return true;
                    }
                }
                case BODY, CHUNK_DATA -> {
                    blockPos = blockLimit = 0; // skipped in the buffer itself, past what the block holds
                    int n = (int) Math.min(remaining, buf.readableBytes());
                    buf.skipBytes(n);
                    remaining -= n;
                    if (remaining > 0) {
                        return false;
                    }
                    if (state == State.BODY) {
                        state = State.DONE;
                        return true;
                    }
                    state = State.CHUNK_END;
                }
                case CHUNK_SIZE -> {
                    int n = readLine(buf);
                    if (n < 0) {
                        return false;
                    }
                    remaining = chunkSize(n);
                    state = remaining == 0 ? State.TRAILERS : State.CHUNK_DATA;
                }
                case CHUNK_END -> {
                    int n = readLine(buf);
                    if (n < 0) {
                        return false;
                    }
                    if (n != 0) {
                        throw new ProtocolException("no CRLF after a chunk");
                    }
                    state = State.CHUNK_SIZE;
                }
                case TRAILERS -> {
                    int n = readLine(buf);
                    if (n < 0) {
                        return false;
                    }
                    if (n == 0) {
                        state = State.DONE;
                        return true;
                    }
                }
                case UNTIL_CLOSE -> {
                    buf.skipBytes(buf.readableBytes());
                    return false;
                }
                case DONE -> {
                    return true;
                }
                default -> throw new IllegalStateException(state.name());
            }
        }
    }

    /** The connection closed: @return true when that ends the response (a body delimited by the close). */
    boolean closeEnds() {
        if (state != State.UNTIL_CLOSE) {
            return false;
        }
        state = State.DONE;
        return true;
    }

    int status() {
        return status;
    }

    /** The version header of the response, or null when it had none. */
    String version() {
        return version;
    }

    /** Whether the connection may carry another request after this response. */
    boolean keepAlive() {
        return http10 ? keepAliveToken && !closeToken : !closeToken;
    }

    /**
     * Finds the next line (without CRLF), also when it arrives over several reads, and consumes it from {@code buf};
     * it is then at {@link #line}[{@link #at}...].
     *
     * @return its length, or -1 when it is not complete yet
     */
    private int readLine(ByteBuf buf) throws ProtocolException {
        while (true) {
            if (blockPos == blockLimit) {
                blockPos = 0;
                blockLimit = Math.min(buf.readableBytes(), block.length);
                if (blockLimit == 0) {
                    return -1;
                }
                buf.getBytes(buf.readerIndex(), block, 0, blockLimit);
            }
            byte[] b = block;
            int from = blockPos;
            int lf = from;
            while (lf < blockLimit && b[lf] != '\n') {
                lf++;
            }
            int n = lf - from;
            boolean complete = lf < blockLimit;
            if (!complete || partialLength > 0) {
                if (partialLength + n > MAX_LINE) {
                    throw new ProtocolException("response line longer than " + MAX_LINE + " bytes");
                }
                if (partialLength + n > partial.length) {
                    partial = Arrays.copyOf(partial, Math.min(MAX_LINE, Math.max(2 * partial.length,
                        partialLength + n)));
                }
                System.arraycopy(b, from, partial, partialLength, n);
                partialLength += n;
            }
            int consumed = complete ? n + 1 : n;
            blockPos += consumed;
            buf.skipBytes(consumed);
            if (!complete) {
                continue; // the rest of the line is further on in the buffer, or in a later read
            }
            if (partialLength > 0) {
                line = partial;
                at = 0;
                n = partialLength;
                partialLength = 0;
            } else {
                line = b;
                at = from;
            }
            return n > 0 && line[at + n - 1] == '\r' ? n - 1 : n;
        }
    }

    /** {@code HTTP/1.1 200 OK}: the reason phrase is ignored. */
    private void statusLine(int n) throws ProtocolException {
        byte[] l = line;
        int o = at;
        if (n < 12 || l[o] != 'H' || l[o + 1] != 'T' || l[o + 2] != 'T' || l[o + 3] != 'P' || l[o + 4] != '/'
            || l[o + 5] != '1' || l[o + 6] != '.' || l[o + 8] != ' ' || !digit(l[o + 7]) || !digit(l[o + 9])
            || !digit(l[o + 10]) || !digit(l[o + 11]) || n > 12 && l[o + 12] != ' ') {
            throw new ProtocolException("malformed status line");
        }
        http10 = l[o + 7] == '0';
        status = (l[o + 9] - '0') * 100 + (l[o + 10] - '0') * 10 + (l[o + 11] - '0');
    }

    private void header(int n) throws ProtocolException {
        byte[] l = line;
        int o = at;
        int colon = 0;
        while (colon < n && l[o + colon] != ':') {
            colon++;
        }
        if (colon == 0 || colon == n) {
            throw new ProtocolException("malformed header line");
        }
        int from = o + colon + 1;
        int to = o + n;
        while (from < to && (l[from] == ' ' || l[from] == '\t')) {
            from++;
        }
        while (to > from && (l[to - 1] == ' ' || l[to - 1] == '\t')) {
            to--;
        }
        if (version == null && nameIs(colon, versionHeader)) {
            version = intern(from, to);
        }
        if (nameIs(colon, CONTENT_LENGTH)) {
            contentLength = length(from, to);
        } else if (nameIs(colon, TRANSFER_ENCODING)) {
            // Chunked is the last coding whenever it is used (RFC 9112 §6.1).
            chunked = to - from >= CHUNKED.length && equalsLower(to - CHUNKED.length, CHUNKED);
        } else if (nameIs(colon, CONNECTION)) {
            closeToken |= contains(from, to, CLOSE);
            keepAliveToken |= contains(from, to, KEEP_ALIVE);
        }
    }

    /** @return true when the response is complete with its headers */
    private boolean endOfHeaders() {
        if (status < 200) {
            resetHeaders(); // 1xx: an interim response, the final one follows
            version = null;
            state = State.STATUS;
            return false;
        }
        if (status == 204 || status == 304) {
            state = State.DONE;
        } else if (chunked) {
            state = State.CHUNK_SIZE;
        } else if (contentLength >= 0) {
            remaining = contentLength;
            state = contentLength == 0 ? State.DONE : State.BODY;
        } else {
            closeToken = true; // no length: the body runs to the end of the connection
            state = State.UNTIL_CLOSE;
        }
        return state == State.DONE;
    }

    private long chunkSize(int n) throws ProtocolException {
        long size = 0;
        int i = 0;
        for (; i < n; i++) {
            int d = Character.digit(line[at + i], 16);
            if (d < 0) {
                break;
            }
            if (size > (Long.MAX_VALUE >> 4)) {
                throw new ProtocolException("chunk size too large");
            }
            size = size << 4 | d;
        }
        if (i == 0 || i < n && line[at + i] != ';' && line[at + i] != ' ' && line[at + i] != '\t') {
            throw new ProtocolException("malformed chunk size");
        }
        return size;
    }

    /** {@code from} and {@code to} index {@link #line}, as below. */
    private long length(int from, int to) throws ProtocolException {
        if (from == to || to - from > 18) {
            throw new ProtocolException("malformed content-length");
        }
        long value = 0;
        for (int i = from; i < to; i++) {
            if (!digit(line[i])) {
                throw new ProtocolException("malformed content-length");
            }
            value = value * 10 + (line[i] - '0');
        }
        return value;
    }

    /** The header value as a string, the same instance for the versions seen before. */
    private String intern(int from, int to) {
        for (int i = 0; i < versionCount; i++) {
            String v = versions[i];
            if (v.length() == to - from && sameChars(v, from)) {
                return v;
            }
        }
        String v = new String(line, from, to - from, StandardCharsets.ISO_8859_1);
        if (versionCount < MAX_VERSIONS) {
            versions[versionCount++] = v;
        }
        return v;
    }

    private boolean sameChars(String v, int from) {
        for (int i = 0; i < v.length(); i++) {
            if (v.charAt(i) != (line[from + i] & 0xff)) {
                return false;
            }
        }
        return true;
    }

    private boolean nameIs(int length, byte[] lowerName) {
        return length == lowerName.length && equalsLower(at, lowerName);
    }

    private boolean equalsLower(int at, byte[] lower) {
        for (int i = 0; i < lower.length; i++) {
            if (toLower(line[at + i]) != lower[i]) {
                return false;
            }
        }
        return true;
    }

    private boolean contains(int from, int to, byte[] lower) {
        for (int at = from; at + lower.length <= to; at++) {
            if (equalsLower(at, lower)) {
                return true;
            }
        }
        return false;
    }

    private static byte toLower(byte b) {
        return b >= 'A' && b <= 'Z' ? (byte) (b + ('a' - 'A')) : b;
    }

    private static boolean digit(byte b) {
        return b >= '0' && b <= '9';
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}

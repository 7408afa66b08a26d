package dev.rolloutlab.traffic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.net.ProtocolException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The generator's response reader on the framings HTTP/1.1 allows, also when a response arrives byte by byte. */
class ResponseParserTest {
    private static ByteBuf bytes(String s) {
        return Unpooled.copiedBuffer(s, StandardCharsets.ISO_8859_1);
    }

    /** Feeds {@code response} in pieces of {@code piece} bytes; @return the piece index the response completed at. */
    private static int feedInPieces(ResponseParser p, String response, int piece) throws ProtocolException {
        byte[] all = response.getBytes(StandardCharsets.ISO_8859_1);
        for (int i = 0; i < all.length; i += piece) {
            ByteBuf b = Unpooled.wrappedBuffer(all, i, Math.min(piece, all.length - i));
            if (p.feed(b)) {
                assertThat(b.isReadable()).isFalse();
                return i / piece;
            }
        }
        return -1;
    }

    @Test
    void readsStatusVersionAndKeepAliveOfAFixedLengthResponse() throws Exception {
        String r = "HTTP/1.1 200 OK\r\nx-version: v2\r\nX-Pod: p-1\r\ncontent-length: 5\r\n\r\nhello";
        for (int piece : new int[] {1, 3, 7, 1000}) {
            ResponseParser p = new ResponseParser("X-Version");
            int at = feedInPieces(p, r, piece);
            assertThat(at).isEqualTo((r.length() - 1) / piece);
            assertThat(p.status()).isEqualTo(200);
            assertThat(p.version()).isEqualTo("v2");
            assertThat(p.keepAlive()).isTrue();
        }
    }

    @Test
    void leavesTheBytesAfterTheResponseAndInternsVersions() throws Exception {
        ResponseParser p = new ResponseParser("X-Version");
        ByteBuf b = bytes("HTTP/1.1 503 Service Unavailable\r\nX-Version: v1\r\nContent-Length: 0\r\n\r\nHTTP/1.1");
        assertThat(p.feed(b)).isTrue();
        assertThat(p.status()).isEqualTo(503);
        assertThat(b.readableBytes()).isEqualTo(8);
        String first = p.version();
        p.reset();
        assertThat(p.feed(bytes("HTTP/1.1 200 OK\r\nX-Version: v1\r\nContent-Length: 0\r\n\r\n"))).isTrue();
        assertThat(p.version()).isSameAs(first);
    }

    @Test
    void skipsChunkedBodiesWithTrailers() throws Exception {
        String r = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nX-Version: v1\r\n\r\n"
            + "5;ext=1\r\nhello\r\n1A\r\nabcdefghijklmnopqrstuvwxyz\r\n0\r\nTrailer: x\r\n\r\n";
        for (int piece : new int[] {1, 4, 1000}) {
            ResponseParser p = new ResponseParser("x-version");
            assertThat(feedInPieces(p, r, piece)).isEqualTo((r.length() - 1) / piece);
            assertThat(p.version()).isEqualTo("v1");
        }
    }

    @Test
    void linesAndBodiesLongerThanOneReadBlock() throws Exception {
        String body = "b".repeat(70_000);
        String r = "HTTP/1.1 200 OK\r\nX-Long: " + "a".repeat(10_000) + "\r\nX-Version: v9\r\nContent-Length: "
            + body.length() + "\r\n\r\n" + body;
        for (int piece : new int[] {1000, 4096, 5000, 200_000}) {
            ResponseParser p = new ResponseParser("X-Version");
            assertThat(feedInPieces(p, r, piece)).isEqualTo((r.length() - 1) / piece);
            assertThat(p.version()).isEqualTo("v9");
        }
    }

    @Test
    void connectionCloseAndHttp10EndTheConnection() throws Exception {
        ResponseParser p = new ResponseParser("X-Version");
        assertThat(p.feed(bytes("HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 0\r\n\r\n"))).isTrue();
        assertThat(p.keepAlive()).isFalse();
        p.reset();
        assertThat(p.feed(bytes("HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n"))).isTrue();
        assertThat(p.keepAlive()).isFalse();
        p.reset();
        assertThat(p.feed(bytes("HTTP/1.0 200 OK\r\nConnection: Keep-Alive\r\nContent-Length: 0\r\n\r\n"))).isTrue();
        assertThat(p.keepAlive()).isTrue();
    }

    @Test
    void aBodyWithoutLengthEndsWithTheConnection() throws Exception {
        ResponseParser p = new ResponseParser("X-Version");
        assertThat(p.feed(bytes("HTTP/1.1 200 OK\r\nX-Version: v3\r\n\r\nsome body"))).isFalse();
        assertThat(p.feed(bytes(" and more"))).isFalse();
        assertThat(p.closeEnds()).isTrue();
        assertThat(p.keepAlive()).isFalse();
        assertThat(p.version()).isEqualTo("v3");
    }

    @Test
    void interimResponsesAreSkippedAndNoBodyStatusesHaveNone() throws Exception {
        ResponseParser p = new ResponseParser("X-Version");
        assertThat(p.feed(bytes("HTTP/1.1 100 Continue\r\nX-Version: early\r\n\r\nHTTP/1.1 204 No Content\r\n"
            + "X-Version: v1\r\n\r\n"))).isTrue();
        assertThat(p.status()).isEqualTo(204);
        assertThat(p.version()).isEqualTo("v1");
        assertThat(p.closeEnds()).isFalse();
    }

    @Test
    void garbageIsAProtocolError() {
        assertThatThrownBy(() -> new ResponseParser("X-Version").feed(bytes("SSH-2.0-OpenSSH\r\n")))
            .isInstanceOf(ProtocolException.class);
        assertThatThrownBy(() -> new ResponseParser("X-Version")
            .feed(bytes("HTTP/1.1 200 OK\r\nContent-Length: ten\r\n\r\n"))).isInstanceOf(ProtocolException.class);
        assertThat(Failures.ofException(new ProtocolException("malformed status line")))
            .isEqualTo(dev.rolloutlab.measure.Outcome.OTHER);
    }
}

package dev.rolloutlab.traffic;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpResponseDecoder;
import java.nio.channels.ClosedChannelException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * One generator connection behind Netty's response decoder, fed the framings HTTP/1.1 allows (also byte by byte):
 * what it reports to its lane, and whether it keeps the connection.
 */
class ConnectionTest {
    private final List<String> reports = new ArrayList<>();
    /** The request each connection sends once connected. */
    private final Map<Connection, Request> first = new HashMap<>();
    private final Connection.Listener lane = new Connection.Listener() {
        @Override
        public void connected(Connection c) {
            c.send(first.remove(c));
        }

        @Override
        public void answered(Connection c, Request r, int status, String version, String routedVersion,
                             boolean reusable) {
            reports.add("answered " + r.seq + " " + status + " " + version + (reusable ? " reusable" : " closing"));
        }

        @Override
        public void closed(Connection c, Request r, Throwable cause) {
            reports.add("closed" + (r == null ? "" : " " + r.seq) + " " + cause.getClass().getSimpleName());
        }
    };
    private final Connection connection = opened(new Request(1, 0, 42, 0));
    private final EmbeddedChannel channel = new EmbeddedChannel(new HttpResponseDecoder(), connection);

    private Connection opened(Request firstRequest) {
        Connection c = new Connection(lane, new RequestMix(List.of(), "/", "h", 1), "X-Version", 0);
        first.put(c, firstRequest);
        return c;
    }

    private void receive(String response, int piece) {
        byte[] all = response.getBytes(StandardCharsets.ISO_8859_1);
        for (int i = 0; i < all.length; i += piece) {
            channel.writeInbound(Unpooled.copiedBuffer(all, i, Math.min(piece, all.length - i)));
        }
    }

    @Test
    void writesTheRequestWithItsUserAndReadsStatusAndVersionInAnyPieces() {
        ByteBuf written = channel.readOutbound();
        assertThat(written.toString(StandardCharsets.US_ASCII)).isEqualTo("GET / HTTP/1.1\r\nHost: h\r\nX-User: 42\r\n\r\n");
        written.release();
        String ok = "HTTP/1.1 200 OK\r\nx-version: v2\r\nContent-Length: 5\r\n\r\nhello";
        receive(ok, 1);
        connection.send(new Request(2, 0, 7, 0));
        receive(ok.replace("200 OK", "503 Service Unavailable"), 7);

        assertThat(reports).containsExactly("answered 1 200 v2 reusable", "answered 2 503 v2 reusable");
    }

    @Test
    void chunkedBodiesWithTrailersAndResponsesWithoutBodyKeepTheConnection() {
        receive("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nX-Version: v1\r\n\r\n"
            + "5;ext=1\r\nhello\r\n1A\r\nabcdefghijklmnopqrstuvwxyz\r\n0\r\nTrailer: x\r\n\r\n", 3);
        connection.send(new Request(2, 0, 7, 0));
        receive("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 204 No Content\r\nX-Version: v1\r\n\r\n", 1000);

        assertThat(reports).containsExactly("answered 1 200 v1 reusable", "answered 2 204 v1 reusable");
    }

    @Test
    void connectionCloseHttp10AndBodiesEndedByTheCloseAreNotReused() {
        receive("HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 0\r\n\r\n", 1000);
        assertThat(reports).containsExactly("answered 1 200 null closing", "closed ClosedChannelException");

        reports.clear();
        Connection c = opened(new Request(3, 0, 1, 0));
        EmbeddedChannel ch = new EmbeddedChannel(new HttpResponseDecoder(), c);
        ch.writeInbound(Unpooled.copiedBuffer("HTTP/1.1 200 OK\r\nX-Version: v1\r\n\r\nbody until close",
            StandardCharsets.ISO_8859_1));
        assertThat(reports).isEmpty();
        ch.close();
        assertThat(reports).containsExactly("answered 3 200 v1 closing", "closed ClosedChannelException");
    }

    @Test
    void garbageOrAnUnaskedResponseEndTheConnectionAndFailTheRequestInFlight() {
        receive("SSH-2.0-OpenSSH\r\n\r\n", 1000);
        assertThat(reports).hasSize(1).first().asString().startsWith("closed 1 ");

        reports.clear();
        Connection c = opened(new Request(4, 0, 1, 0));
        EmbeddedChannel ch = new EmbeddedChannel(new HttpResponseDecoder(), c);
        String ok = "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n";
        ch.writeInbound(Unpooled.copiedBuffer(ok + ok, StandardCharsets.ISO_8859_1));
        assertThat(reports).containsExactly("answered 4 200 null reusable", "closed ClosedChannelException");
    }

    @Test
    void aServerThatClosesMidResponseFailsTheRequestAsAReset() {
        receive("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nhel", 1000);
        channel.close();

        assertThat(reports).containsExactly("closed 1 ClosedChannelException");
        assertThat(Failures.ofException(new ClosedChannelException())).isEqualTo(dev.rolloutlab.measure.Outcome.RESET);
    }
}

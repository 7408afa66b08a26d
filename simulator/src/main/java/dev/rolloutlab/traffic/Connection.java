package dev.rolloutlab.traffic;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseDecoder;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.AsciiString;
import io.netty.util.ReferenceCountUtil;
import java.nio.channels.ClosedChannelException;

/**
 * One keep-alive HTTP/1.1 connection of a lane, the last handler of its Netty pipeline after an
 * {@link HttpResponseDecoder}: at most one request in flight, written as ready-made bytes (no encoder: a request is
 * its kind's {@link RequestTemplate} with its user id and sequence number filled in). Every callback runs on the lane's event loop. Once connected it reports
 * {@link Listener#connected} and the lane gives it a request. A connection is never reconnected: once closed (by
 * either side, or never connected) it reports {@link Listener#closed} exactly once and the lane opens a new one when
 * it needs it.
 */
final class Connection extends ChannelInboundHandlerAdapter implements ChannelFutureListener {
    /** Set by a proxy on a response it made itself (a 502 or 503): the version it had routed the request to. */
    static final AsciiString ROUTED_VERSION = AsciiString.cached("X-Routed-Version");

    interface Listener {
        /** The connection is established and takes a request. */
        void connected(Connection connection);

        /** {@code request} got its response; {@code reusable} says whether this connection takes another. */
        void answered(Connection connection, Request request, int status, String version, String routedVersion,
                      boolean reusable);

        /** The connection is gone; {@code request}, if one was in flight, failed with {@code cause}. */
        void closed(Connection connection, Request request, Throwable cause);
    }

    /** The lane it belongs to; another lane on the same event loop may adopt it while it is idle. */
    private Listener listener;
    private final RequestMix mix;
    private final AsciiString versionHeader;
    private Channel channel;
    /**
     * The request bytes, rewritten for each request: with one request at a time, the previous one was written (and
     * released by Netty) before its answer came, so the buffer is ours again and costs no allocation.
     */
    private ByteBuf out;
    private Request request;
    /** The response head of the request in flight; null until it arrives (or while an interim 1xx is read). */
    private HttpResponse response;
    private boolean interim;
    private Throwable failure;
    private boolean closing;
    private boolean gone;
    private boolean connected;
    /** Bookkeeping of the lane: this connection is in its stack of idle connections. */
    boolean idle;
    /** Bookkeeping of the lane: when it was opened, and how many requests it has answered, for its bounded reuse. */
    final long openedAt;
    int served;
    /** Bookkeeping of the lane: since when it has been idle. */
    long idleSince;
    /** Bookkeeping of the lane: closed at the end of its reuse, so its client reconnects. */
    boolean retired;

    /**
     * @param mix      the bytes of each kind of request
     * @param openedAt the lane's time when it was opened
     */
    Connection(Listener listener, RequestMix mix, String versionHeader, long openedAt) {
        this.listener = listener;
        this.openedAt = openedAt;
        this.mix = mix;
        this.versionHeader = AsciiString.of(versionHeader);
    }

    /** Hands this idle connection to another lane on the same event loop. */
    void adoptedBy(Listener lane) {
        listener = lane;
    }

    /** Whether it was ever established: a connection that closes before is a failed connect. */
    boolean wasConnected() {
        return connected;
    }

    /** Follows the connect attempt; its failure (refused, timed out, closed while connecting) ends the connection. */
    void connecting(ChannelFuture connect) {
        connect.addListener(this);
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        channel = ctx.channel(); // before connect() returns: a loopback connect may be active at once
    }

    @Override
    public void operationComplete(ChannelFuture connect) {
        if (!connect.isSuccess()) {
            gone(connect.cause());
        }
    }

    /** Sends {@code r} on this connected, idle connection. */
    void send(Request r) {
        request = r;
        r.connection = this;
        write(r);
    }

    /** Closes the connection; {@link Listener#closed} follows. A request in flight is given up by the caller. */
    void close() {
        closing = true;
        channel.close();
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        connected = true;
        listener.connected(this);
    }

    private void write(Request r) {
        RequestTemplate template = mix.template(r.kind);
        ByteBuf b = out;
        if (b == null || b.refCnt() != 1) { // first request, or Netty still holds the last one (e.g. TLS handshake)
            if (b != null) {
                b.release();
            }
            b = out = channel.alloc().ioBuffer(template.sizeHint());
        }
        template.write(b.clear(), r.seq, r.user); // grows the buffer when a larger kind follows a smaller
        // A failed write reaches exceptionCaught through the void promise: no listener per request.
        channel.writeAndFlush(b.retain(), channel.voidPromise());
    }

    /** Decoded parts of the response: its head, content (skipped), and its end, which completes the request. */
    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (closing || gone) {
                return;
            }
            if (request == null) {
                close(); // bytes nobody asked for (e.g. a 408 on an idle connection): it cannot be trusted
                return;
            }
            if (msg instanceof HttpObject part && part.decoderResult().isFailure()) {
                fail(part.decoderResult().cause());
                return;
            }
            if (msg instanceof HttpResponse head) {
                // An interim 1xx (not 101, which switches protocols) precedes the real response: skip it.
                interim = head.status().codeClass() == io.netty.handler.codec.http.HttpStatusClass.INFORMATIONAL
                    && !head.status().equals(HttpResponseStatus.SWITCHING_PROTOCOLS);
                if (!interim) {
                    response = head;
                }
            }
            if (msg instanceof LastHttpContent && !interim && response != null) {
                complete();
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    private void complete() {
        HttpResponse head = response;
        response = null;
        Request r = request;
        request = null;
        // A body that ends with the connection (no length, not chunked) leaves nothing to reuse.
        boolean delimited = HttpUtil.isContentLengthSet(head) || HttpUtil.isTransferEncodingChunked(head)
            || head.status().code() == 204 || head.status().code() == 304;
        boolean reusable = HttpUtil.isKeepAlive(head) && delimited;
        if (!reusable) {
            close();
        }
        listener.answered(this, r, head.status().code(), head.headers().get(versionHeader),
            head.headers().get(ROUTED_VERSION), reusable);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        gone(failure != null ? failure : new ClosedChannelException());
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        fail(cause);
    }

    private void fail(Throwable cause) {
        if (failure == null) {
            failure = cause;
        }
        close();
    }

    private void gone(Throwable cause) {
        if (gone) {
            return;
        }
        gone = true;
        closing = true;
        if (out != null) {
            out.release();
            out = null;
        }
        Request r = request;
        request = null;
        listener.closed(this, r, cause);
    }
}

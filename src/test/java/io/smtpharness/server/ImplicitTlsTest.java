package io.smtpharness.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.smtpharness.client.ClientOptions;
import io.smtpharness.client.Received;
import io.smtpharness.client.SmtpClient;
import io.smtpharness.client.SmtpConnection;
import io.smtpharness.client.TargetUnreachableException;
import io.smtpharness.client.TlsSettings;
import io.smtpharness.protocol.Command;
import io.smtpharness.transcript.Transcript;
import io.smtpharness.transcript.TranscriptEvent;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The client's implicit TLS (RFC 8314, {@code run --tls}) and certificate checking
 * ({@code --tls-verify}) against the reference server's session handler behind an SslHandler from
 * the first octet, as a port 465 server works.
 */
class ImplicitTlsTest {

    private static final TlsIdentity IDENTITY = TlsIdentity.selfSigned("reference.test");
    private static EventLoopGroup group;
    private static Channel listener;

    @BeforeAll
    static void startImplicitTlsServer() {
        ServerConfig config = ServerConfig.defaults();
        group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        listener = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        SmtpFrameDecoder decoder = new SmtpFrameDecoder(config.maxCommandLine());
                        ch.pipeline().addLast(IDENTITY.serverContext().newHandler(ch.alloc()), decoder,
                                new SmtpSessionHandler(config, decoder, m -> { }));
                    }
                })
                .bind(new InetSocketAddress("127.0.0.1", 0)).syncUninterruptibly().channel();
    }

    @AfterAll
    static void stop() {
        listener.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private static InetSocketAddress address() {
        return (InetSocketAddress) listener.localAddress();
    }

    @Test
    void theGreetingArrivesInsideTlsAndTheTranscriptNamesTheCertificate() throws Exception {
        Transcript transcript = new Transcript();
        try (SmtpClient client = new SmtpClient(ClientOptions.defaults().withReplyTimeout(Duration.ofSeconds(3)),
                new TlsSettings(true, false));
             SmtpConnection connection = client.connect(address(), transcript)) {
            assertThat(connection.isSecure()).isTrue();
            Received greeting = connection.readReply();
            assertThat(greeting).isInstanceOfSatisfying(Received.Got.class,
                    g -> assertThat(g.reply().code()).isEqualTo(220));
            connection.send(new Command("NOOP", ""));
            assertThat(connection.readReply()).isInstanceOfSatisfying(Received.Got.class,
                    g -> assertThat(g.reply().code()).isEqualTo(250));
        }
        String notes = String.join("\n", transcript.events().stream().map(TranscriptEvent::text).toList());
        assertThat(notes).contains("implicit TLS (--tls)").contains("TLS established: TLSv1.3")
                .contains("certificate not verified").contains("subject O=smtp-harness reference server,CN=reference.test")
                .contains("issuer O=smtp-harness reference server").contains("valid ");
    }

    @Test
    void withVerificationASelfSignedCertificateIsRefused() {
        Transcript transcript = new Transcript();
        try (SmtpClient client = new SmtpClient(ClientOptions.defaults().withReplyTimeout(Duration.ofSeconds(3)),
                new TlsSettings(true, true))) {
            TargetUnreachableException e = org.junit.jupiter.api.Assertions.assertThrows(
                    TargetUnreachableException.class, () -> client.connect(address(), transcript));
            assertThat(e.getMessage()).contains("no TLS with").contains("TLS handshake failed");
        }
    }

    @Test
    void implicitTlsAgainstAPlaintextServerFailsWithinTheTimeout() throws Exception {
        try (ReferenceServer plain = ReferenceServer.start(ServerConfig.defaults());
             SmtpClient client = new SmtpClient(ClientOptions.defaults().withReplyTimeout(Duration.ofSeconds(2)),
                     new TlsSettings(true, false))) {
            // the bound only catches a hang (the handshake deadline is 2 s); the machine may be busy
            TargetUnreachableException e = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(
                    Duration.ofSeconds(30), () -> org.junit.jupiter.api.Assertions.assertThrows(
                            TargetUnreachableException.class, () -> client.connect(plain.address(), new Transcript())));
            assertThat(e.getMessage()).contains("TLS handshake");
        }
    }
}

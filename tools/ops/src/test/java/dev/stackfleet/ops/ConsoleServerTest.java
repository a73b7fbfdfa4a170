package dev.stackfleet.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The console's guards, which hold before any AWS call (its endpoint here is a closed port): it binds to
 * loopback only, answers only requests addressed to it, and takes a POST only from its own pages with its token.
 */
class ConsoleServerTest {

    private static RunningConsole console;

    @BeforeAll
    static void start() {
        console = RunningConsole.start(List.of("--endpoint-url", "http://127.0.0.1:9", "--region", "us-east-1"));
    }

    @AfterAll
    static void stop() throws InterruptedException {
        console.close();
    }

    @Test
    void refusesToBindAnywhereButLoopback() {
        for (String address : List.of("0.0.0.0", "192.0.2.10", "no-such-host.invalid")) {
            StringWriter err = new StringWriter();
            // A console that did start would serve until interrupted: the timeout ends it and fails.
            int exit = assertTimeoutPreemptively(
                    Duration.ofSeconds(20),
                    () -> OpsMain.run(
                            new PrintWriter(new StringWriter()),
                            new PrintWriter(err),
                            "console",
                            "--port",
                            "0",
                            "--bind",
                            address));
            assertEquals(2, exit, err.toString());
            assertTrue(
                    err.toString().contains("--bind " + address + " refused: the console listens on loopback only"),
                    err.toString());
        }
    }

    @Test
    void listensOnLoopback() {
        assertEquals("127.0.0.1", console.url.getHost());
    }

    @Test
    void answersOnlyRequestsAddressedToItself() throws IOException {
        // A page of another site whose name resolves to 127.0.0.1 (DNS rebinding) sends its own Host.
        String response = send("GET / HTTP/1.1\r\nHost: attacker.example:" + console.url.getPort() + "\r\n\r\n");
        assertTrue(response.startsWith("HTTP/1.1 421"), response);
    }

    @Test
    void refusesAPostFromAnotherSite() throws IOException {
        String response = post("http://attacker.example", "action=replay&id=gs-x&expect=gs-x-create-g1-r1&token=x");
        assertTrue(response.startsWith("HTTP/1.1 403"), response);
        assertTrue(response.contains("Only the console&#39;s own pages may act"), response);
    }

    @Test
    void refusesAPostWithoutTheConsolesToken() throws IOException {
        String response = post(origin(), "action=replay&id=gs-x&expect=gs-x-create-g1-r1&token=guessed");
        assertTrue(response.startsWith("HTTP/1.1 403"), response);
        assertTrue(response.contains("token is not this console"), response);
    }

    @Test
    void refusesToBeFramed() throws IOException {
        String response = send("GET /nowhere HTTP/1.1\r\nHost: " + host() + "\r\n\r\n");
        assertTrue(response.startsWith("HTTP/1.1 404"), response);
        assertTrue(response.contains("X-frame-options: DENY") || response.contains("X-Frame-Options: DENY"), response);
    }

    private static String post(String origin, String form) throws IOException {
        byte[] body = form.getBytes(StandardCharsets.UTF_8);
        return send("POST /act HTTP/1.1\r\nHost: " + host() + "\r\nOrigin: " + origin
                + "\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: " + body.length
                + "\r\n\r\n" + form);
    }

    private static String host() {
        return "127.0.0.1:" + console.url.getPort();
    }

    private static String origin() {
        return "http://" + host();
    }

    /** One raw request (the JDK's HTTP client will not send a foreign Host header). */
    private static String send(String request) throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), console.url.getPort())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.replace("HTTP/1.1\r\n", "HTTP/1.1\r\nConnection: close\r\n")
                    .getBytes(StandardCharsets.UTF_8));
            out.flush();
            InputStream in = socket.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}

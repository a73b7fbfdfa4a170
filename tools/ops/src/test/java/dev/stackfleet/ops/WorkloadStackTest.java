package dev.stackfleet.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.regions.Region;

/** Reading a stack when the reader role cannot be assumed: STS answers as AWS does for an untrusted caller. */
class WorkloadStackTest {

    private static final String OBSERVER = "arn:aws:iam::222222222222:role/stackfleet-workload-observer";
    private static final String ACCESS_DENIED = """
            <ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
              <Error><Type>Sender</Type><Code>AccessDenied</Code><Message>User: arn:aws:iam::111111111111:user/op is
              not authorized to perform: sts:AssumeRole on resource: %s</Message></Error>
              <RequestId>c6104cbe-af31-11e0-8154-cbc7ccf896c7</RequestId>
            </ErrorResponse>""".formatted(OBSERVER);

    private HttpServer sts;

    @BeforeEach
    void startStsThatDeniesEverything() throws IOException {
        System.setProperty("aws.accessKeyId", "test");
        System.setProperty("aws.secretAccessKey", "test");
        sts = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        sts.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            byte[] body = ACCESS_DENIED.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/xml");
            exchange.sendResponseHeaders(403, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        sts.start();
    }

    @AfterEach
    void stopSts() {
        sts.stop(0);
    }

    @Test
    void givenTheReaderRoleDoesNotTrustTheCaller_whenTheStackIsRead_thenItIsUnavailableSayingWhatTheRoleNeeds() {
        try (AwsClients clients =
                new AwsClients(URI.create("http://127.0.0.1:" + sts.getAddress().getPort()), Region.US_EAST_1, null)) {
            WorkloadStack stack = WorkloadStack.read(clients, OBSERVER, "us-east-1", "stackfleet-gs-x");

            assertEquals("222222222222", stack.accountId());
            assertNull(stack.status());
            String why = stack.unavailable();
            assertTrue(why.startsWith("access denied: needs sts:AssumeRole on " + OBSERVER), why);
            assertTrue(
                    why.contains("the role must exist in account 222222222222 and trust the identity you run as"), why);
            assertTrue(why.contains("ObserverPrincipalArns") && why.contains("--stack-reader-role"), why);
        }
    }
}

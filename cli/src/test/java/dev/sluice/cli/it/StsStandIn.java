package dev.sluice.cli.it;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A stand-in for AWS STS's {@code AssumeRole}, because no STS server can be installed here (moto and
 * LocalStack need PyPI or containers; Debian and npm have none). It answers the STS Query API as AWS
 * documents it (a form-encoded POST, an XML {@code AssumeRoleResponse}) with temporary credentials
 * the test S3 server accepts, and keeps every request's parameters and Authorization header so a
 * test can check what the SDK asked for. It proves Sluice hands {@code role_arn}, {@code
 * session_name} and {@code external_id} to a real STS client that signs with the base credentials
 * and uses what comes back; it does not prove AWS's trust policies (docs/deploy.md says so).
 */
final class StsStandIn implements AutoCloseable {
    /** One AssumeRole call: its form parameters and the signature header. */
    record Call(Map<String, String> parameters, String authorization) {
    }

    private final HttpServer server;
    private final List<Call> calls = new ArrayList<>();

    StsStandIn(String accessKeyId, String secretAccessKey) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            Map<String, String> form = new LinkedHashMap<>();
            for (String pair : body.split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    form.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                }
            }
            synchronized (calls) {
                calls.add(new Call(form, exchange.getRequestHeaders().getFirst("Authorization")));
            }
            byte[] answer;
            int status;
            if ("AssumeRole".equals(form.get("Action"))) {
                status = 200;
                answer = ("<AssumeRoleResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><AssumeRoleResult>"
                        + "<Credentials><AccessKeyId>" + accessKeyId + "</AccessKeyId><SecretAccessKey>" + secretAccessKey
                        + "</SecretAccessKey><SessionToken>stand-in-session-token</SessionToken><Expiration>"
                        + Instant.now().plus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS) + "</Expiration></Credentials>"
                        + "<AssumedRoleUser><Arn>" + form.get("RoleArn") + "/" + form.get("RoleSessionName") + "</Arn>"
                        + "<AssumedRoleId>AROASTANDIN:" + form.get("RoleSessionName") + "</AssumedRoleId></AssumedRoleUser>"
                        + "</AssumeRoleResult><ResponseMetadata><RequestId>1</RequestId></ResponseMetadata></AssumeRoleResponse>")
                        .getBytes(StandardCharsets.UTF_8);
            } else {
                status = 400;
                answer = ("<ErrorResponse><Error><Type>Sender</Type><Code>InvalidAction</Code><Message>only AssumeRole: "
                        + form.get("Action") + "</Message></Error></ErrorResponse>").getBytes(StandardCharsets.UTF_8);
            }
            exchange.getResponseHeaders().add("Content-Type", "text/xml");
            exchange.sendResponseHeaders(status, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        server.start();
    }

    String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    List<Call> calls() {
        synchronized (calls) {
            return List.copyOf(calls);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}

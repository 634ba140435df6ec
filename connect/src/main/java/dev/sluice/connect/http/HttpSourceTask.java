package dev.sluice.connect.http;

import dev.sluice.connect.ConnectorVersion;
import dev.sluice.connect.Json;
import dev.sluice.connect.PollSchedule;
import dev.sluice.connect.Retries;
import dev.sluice.connect.RetryPolicy;
import org.apache.kafka.common.config.types.Password;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.source.SourceTask;

import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/** One GET per poll, retried under the configured policy; see {@link HttpSourceConnector}. */
public final class HttpSourceTask extends SourceTask {
    private HttpClient client;
    private String url;
    private String topic;
    private String format;
    private RetryPolicy policy;
    private Duration timeout;
    private String authorization;
    private String field;
    private PollSchedule schedule;

    @Override
    public void start(Map<String, String> props) {
        Map<String, Object> v = HttpSourceConnector.DEF.parse(props);
        url = (String) v.get("http.url");
        topic = (String) v.get("topic");
        format = (String) v.get("format");
        long initial = (Long) v.get("initial.retry.delay.ms");
        policy = new RetryPolicy(RetryPolicy.kind((String) v.get("retry.policy")), initial,
                Math.max(initial, (Long) v.get("max.retry.delay.ms")), (Integer) v.get("max.retries"),
                (Double) v.get("jitter.factor"));
        timeout = Duration.ofMillis((Long) v.get("request.timeout.ms"));
        String bearer = ((Password) v.get("auth.bearer.token")).value();
        String user = (String) v.get("auth.basic.user");
        authorization = !bearer.isEmpty() ? "Bearer " + bearer : user.isEmpty() ? null : "Basic " + Base64.getEncoder()
                .encodeToString((user + ":" + ((Password) v.get("auth.basic.password")).value()).getBytes(StandardCharsets.UTF_8));
        field = (String) v.get("incremental.field");
        client = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NORMAL).build();
        schedule = new PollSchedule(context, Map.of("url", url), (Long) v.get("poll.interval.ms"));
    }

    @Override
    public List<SourceRecord> poll() throws InterruptedException {
        if (!schedule.awaitDue()) {
            return null;
        }
        schedule.nextAfterInterval();
        String body;
        try {
            body = Retries.call(policy, "GET " + url, HttpSourceTask::isTransient, this::get);
        } catch (InterruptedException e) {
            throw e;
        } catch (Exception e) {
            throw new ConnectException("polling " + url + " failed after " + (policy.retries() + 1) + " attempts"
                    + " (retry_policy " + policy.kind().name().toLowerCase(java.util.Locale.ROOT) + ", max_retries "
                    + policy.retries() + "): " + e.getMessage(), e);
        }
        List<SourceRecord> out = new ArrayList<>();
        for (String record : records(body, format)) {
            if (!field.isEmpty()) {
                String value = fieldOf(record);
                if (value != null && schedule.last() != null && compare(value, schedule.last()) <= 0) {
                    continue; // written by an earlier poll
                }
                schedule.advance(value);
            }
            out.add(schedule.record(topic, record));
        }
        return out.isEmpty() ? null : out;
    }

    private String fieldOf(String record) {
        try {
            return Json.fields(record).get(field);
        } catch (RuntimeException e) {
            return null; // not an object: written as it is, Sluice dead-letters it with its reason
        }
    }

    /** Numbers compare as numbers, anything else (ISO timestamps included) as text. */
    static int compare(String a, String b) {
        try {
            return new BigDecimal(a).compareTo(new BigDecimal(b));
        } catch (NumberFormatException e) {
            return a.compareTo(b);
        }
    }

    private String get() throws IOException, InterruptedException, HttpStatusException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(timeout)
                .header("Accept", "application/json, application/x-ndjson").GET();
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        if (response.statusCode() / 100 != 2) {
            throw new HttpStatusException(url, response.statusCode(), response.body());
        }
        return response.body();
    }

    static boolean isTransient(Exception e) {
        return e instanceof IOException || e instanceof HttpStatusException h && h.isTransient();
    }

    /** The answer's records: the elements of a JSON array, or its non-blank lines. */
    static List<String> records(String body, String format) {
        String trimmed = body.strip();
        boolean array = format.equals("json_array") || format.equals("auto") && trimmed.startsWith("[");
        if (array) {
            return trimmed.isEmpty() ? List.of() : Json.arrayElements(trimmed);
        }
        return trimmed.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
    }

    @Override
    public void stop() {
    }

    @Override
    public String version() {
        return ConnectorVersion.VERSION;
    }
}

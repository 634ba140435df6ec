package dev.sluice.cli.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * No Docker engine or Kubernetes runs here, so the deploy/ files are checked for what breaks a
 * deployment silently: probes on the wrong path or port, a selector that matches no pod, the SQL
 * mounted somewhere the entrypoint does not read, a root user.
 */
class DeployManifestsTest {
    static final Path DEPLOY = repositoryRoot().resolve("deploy");
    private static final YAMLMapper YAML = new YAMLMapper();
    private static final String PIPELINE_PATH = "/app/pipeline.sql";

    static Path repositoryRoot() {
        // surefire runs in the module directory (cli/); walk up rather than assume it
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.exists(dir.resolve("deploy/Dockerfile"))) {
                return dir;
            }
        }
        throw new AssertionError("no deploy/Dockerfile above " + Path.of("").toAbsolutePath());
    }

    static Dockerfile dockerfile() throws IOException {
        return Dockerfile.read(DEPLOY.resolve("Dockerfile"));
    }

    @Test
    void theImageBuildsTheShadedJarInAMavenStageAndRunsAsANonRootUserOnAJre() throws IOException {
        Dockerfile file = dockerfile();
        List<Dockerfile.Instruction> froms = file.all("FROM");
        assertEquals(2, froms.size(), "multi-stage: build, then runtime");
        assertEquals("${BUILD_IMAGE} AS build", froms.get(0).arguments());
        assertEquals("${RUNTIME_IMAGE}", froms.get(1).arguments());
        // public bases by default; deploy/image/build-image.sh passes bases made from Debian packages instead
        List<String> args = file.all("ARG").stream().map(Dockerfile.Instruction::arguments).toList();
        assertTrue(args.contains("BUILD_IMAGE=maven:3.9-eclipse-temurin-17"), args.toString());
        assertTrue(args.contains("RUNTIME_IMAGE=eclipse-temurin:17-jre"), args.toString());

        Dockerfile runtime = file.finalStage();
        assertTrue(runtime.all("COPY").stream().anyMatch(c ->
                c.arguments().equals("--from=build /src/cli/target/sluice.jar /app/sluice.jar")),
                "the runtime stage copies the shaded jar from the build stage");
        assertTrue(runtime.all("COPY").stream().anyMatch(c -> c.arguments().endsWith(" " + PIPELINE_PATH)),
                "the pipeline SQL is baked in at " + PIPELINE_PATH);
        String user = runtime.last("USER").arguments();
        String uid = user.split(":")[0];
        assertFalse(uid.equals("root") || uid.equals("0"), "USER must not be root: " + user);
        assertTrue(uid.chars().allMatch(Character::isDigit), "a numeric USER, which runAsNonRoot can verify: " + user);
        assertTrue(runtime.all("EXPOSE").stream().anyMatch(e -> e.arguments().equals("8080")));
    }

    /**
     * Runs deploy/entrypoint.sh (the image's ENTRYPOINT) with a stand-in {@code java} on the PATH that prints
     * the arguments it gets: this is the command line Sluice receives in the container.
     */
    @Test
    void theEntrypointRunsThePipelineWithTheBootstrapServersFromTheEnvironmentAndTheOpsPort(@TempDir Path bin)
            throws Exception {
        assertEquals(List.of("/app/entrypoint.sh"), dockerfile().finalStage().last("ENTRYPOINT").execForm());
        assertTrue(dockerfile().finalStage().all("COPY").stream()
                .anyMatch(c -> c.arguments().equals("deploy/entrypoint.sh /app/entrypoint.sh")));

        List<String> printed = entrypoint(bin, "--config", "/etc/sluice/extra.properties"); // `docker run IMAGE --config ...`
        assertEquals(List.of("-jar", "/app/sluice.jar", "run", PIPELINE_PATH,
                "--bootstrap-servers", "broker-0.kafka:9092,broker-1.kafka:9092",
                "--ops-bind", "0.0.0.0", "--ops-port", "8080",
                "--config", "/etc/sluice/extra.properties"), printed);
        assertTrue(Files.readString(DEPLOY.resolve("entrypoint.sh")).contains("exec java $GC $JIT -jar"),
                "exec: java must be PID 1 to receive SIGTERM and shut down gracefully");
    }

    /** `docker run IMAGE --help` once hit `run`'s option parser ("Unknown option: '--help'"). */
    @Test
    void theEntrypointPassesHelpAndSluiceCommandsThrough(@TempDir Path bin) throws Exception {
        assertEquals(List.of("-jar", "/app/sluice.jar", "--help"), entrypoint(bin, "--help"));
        assertEquals(List.of("-jar", "/app/sluice.jar", "compile", PIPELINE_PATH), entrypoint(bin, "compile", PIPELINE_PATH));
    }

    /**
     * Two processors or fewer get the serial collector (docs/performance.md, "The garbage collector on two
     * cores"), unless the JVM options name a collector; more processors keep the JVM's choice.
     */
    @Test
    void theEntrypointPicksTheSerialCollectorOnTwoProcessorsUnlessOneIsNamed(@TempDir Path bin) throws Exception {
        assertEquals(List.of("-XX:+UseSerialGC", "-XX:MaxInlineLevel=9", "-XX:FreqInlineSize=150", "-jar",
                "/app/sluice.jar", "--help"), entrypoint(bin, 2, "", "--help"));
        assertEquals(List.of("-XX:+UseSerialGC", "-XX:MaxInlineLevel=9", "-XX:FreqInlineSize=150", "-jar",
                "/app/sluice.jar", "--help"), entrypoint(bin, 1, "", "--help"));
        assertEquals(List.of("-jar", "/app/sluice.jar", "--help"), entrypoint(bin, 4, "", "--help"));
        assertEquals(List.of("-XX:MaxInlineLevel=9", "-XX:FreqInlineSize=150", "-jar", "/app/sluice.jar", "--help"),
                entrypoint(bin, 2, "-XX:MaxRAMPercentage=60 -XX:+UseG1GC", "--help"));
    }

    /**
     * Two processors or fewer get smaller C2 inlining budgets (docs/performance.md, "Smaller inlining
     * budgets on two cores"), unless the JVM options set one of them.
     */
    @Test
    void theEntrypointNarrowsInliningOnTwoProcessorsUnlessABudgetIsSet(@TempDir Path bin) throws Exception {
        assertEquals(List.of("-XX:+UseSerialGC", "-jar", "/app/sluice.jar", "--help"),
                entrypoint(bin, 2, "-XX:MaxInlineLevel=15", "--help"));
        assertEquals(List.of("-XX:+UseSerialGC", "-jar", "/app/sluice.jar", "--help"),
                entrypoint(bin, 2, "-XX:FreqInlineSize=325", "--help"));
    }

    /** The entrypoint on a machine of eight processors (no collector chosen) with no JVM options set. */
    private static List<String> entrypoint(Path bin, String... arguments) throws Exception {
        return entrypoint(bin, 8, "", arguments);
    }

    private static List<String> entrypoint(Path bin, int processors, String javaToolOptions, String... arguments)
            throws Exception {
        Path fakeJava = bin.resolve("java");
        Files.writeString(fakeJava, "#!/bin/sh\nfor a in \"$@\"; do printf '%s\\n' \"$a\"; done\n");
        assertTrue(fakeJava.toFile().setExecutable(true));
        Path fakeNproc = bin.resolve("nproc");
        Files.writeString(fakeNproc, "#!/bin/sh\necho " + processors + "\n");
        assertTrue(fakeNproc.toFile().setExecutable(true));
        List<String> command = new ArrayList<>(List.of("sh", DEPLOY.resolve("entrypoint.sh").toString()));
        command.addAll(List.of(arguments));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        Map<String, String> env = builder.environment();
        env.put("PATH", bin + ":/usr/bin:/bin");
        env.put("SLUICE_BOOTSTRAP_SERVERS", "broker-0.kafka:9092,broker-1.kafka:9092");
        env.remove("JDK_JAVA_OPTIONS");
        env.put("JAVA_TOOL_OPTIONS", javaToolOptions);
        Process process = builder.start();
        String printed = new String(process.getInputStream().readAllBytes());
        assertEquals(0, process.waitFor(), printed);
        return printed.lines().toList();
    }

    @Test
    void theHealthcheckAsksSlashHealthOnTheOpsPort() throws IOException {
        String script = String.join(" ", dockerfile().healthcheckCommand());
        assertTrue(script.contains("/dev/tcp/127.0.0.1/${SLUICE_OPS_PORT:-8080}"), "the port the entrypoint serves on: " + script);
        assertTrue(script.contains("GET /health "), script);
        assertTrue(script.contains("' 200 '"), "healthy only on status 200: " + script);
    }

    @Test
    void composeRunsAKraftBrokerAndSeveralReplicasOfOneApplication() throws IOException {
        JsonNode compose = YAML.readTree(DEPLOY.resolve("compose.yaml").toFile());
        JsonNode kafka = compose.at("/services/kafka");
        assertTrue(kafka.at("/image").asText().startsWith("apache/kafka:"));
        assertEquals("broker,controller", kafka.at("/environment/KAFKA_PROCESS_ROLES").asText(), "KRaft, no ZooKeeper");
        assertEquals("PLAINTEXT://kafka:9092", kafka.at("/environment/KAFKA_ADVERTISED_LISTENERS").asText());
        assertEquals("1", kafka.at("/environment/KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR").asText(),
                "exactly-once needs the transaction log, which one broker can only replicate once");

        JsonNode sluice = compose.at("/services/sluice");
        assertTrue(sluice.at("/deploy/replicas").asInt() >= 2, "several replicas");
        assertEquals("deploy/Dockerfile", sluice.at("/build/dockerfile").asText());
        assertEquals("kafka:9092", sluice.at("/environment/SLUICE_BOOTSTRAP_SERVERS").asText());
        assertEquals("service_healthy", sluice.at("/depends_on/kafka/condition").asText());
        // every replica gets the same SQL, so the same application.id: one consumer group
        String mount = sluice.at("/volumes/0").asText();
        assertEquals("./pipeline.sql:" + PIPELINE_PATH + ":ro", mount);
        assertTrue(Files.readString(DEPLOY.resolve("pipeline.sql")).contains("SET 'application.id' = "));
        assertFalse(sluice.has("ports"), "no host port: replicas would fight over it");
        assertFalse(sluice.has("container_name"), "a fixed container name forbids replicas");
    }

    @Test
    void kubernetesProbesPointAtHealthAndReadyOnTheOpsPort() throws IOException {
        JsonNode pod = statefulSet().at("/spec/template/spec");
        JsonNode container = pod.at("/containers/0");
        assertEquals(8080, namedPort(container, "ops"), "the port the entrypoint passes as --ops-port");
        assertProbe(container, "livenessProbe", "/health");
        assertProbe(container, "startupProbe", "/health");
        assertProbe(container, "readinessProbe", "/ready");
        for (String kind : List.of("requests", "limits")) {
            assertTrue(container.at("/resources/" + kind + "/memory").isTextual(), "memory " + kind);
        }
        assertTrue(container.at("/resources/requests/cpu").isTextual(), "a cpu request");
        assertTrue(pod.at("/terminationGracePeriodSeconds").asInt() >= 30,
                "time for the graceful close (commit, leave the group) before SIGKILL");
    }

    @Test
    void kubernetesRunsSeveralNonRootReplicasWhoseLabelsEverySelectorMatches() throws IOException {
        JsonNode set = statefulSet();
        assertTrue(set.at("/spec/replicas").asInt() >= 2);
        Map<String, String> podLabels = strings(set.at("/spec/template/metadata/labels"));
        assertSubset(strings(set.at("/spec/selector/matchLabels")), podLabels, "StatefulSet selector");
        JsonNode pdb = one("PodDisruptionBudget");
        assertSubset(strings(pdb.at("/spec/selector/matchLabels")), podLabels, "PodDisruptionBudget selector");
        assertTrue(pdb.at("/spec/maxUnavailable").asInt() >= 1 || pdb.has("minAvailable"));
        JsonNode service = one("Service");
        assertSubset(strings(service.at("/spec/selector")), podLabels, "Service selector");
        assertEquals("None", service.at("/spec/clusterIP").asText(), "headless");
        assertEquals(service.at("/metadata/name").asText(), set.at("/spec/serviceName").asText());

        JsonNode security = set.at("/spec/template/spec/securityContext");
        assertTrue(security.at("/runAsNonRoot").asBoolean());
        String imageUser = dockerfile().finalStage().last("USER").arguments().split(":")[0];
        assertEquals(imageUser, security.at("/runAsUser").asText(), "the pod runs as the image's user");
    }

    @Test
    void theConfigMapSqlIsMountedWhereTheEntrypointReadsItAndMatchesTheBakedInPipeline() throws IOException {
        JsonNode configMap = one("ConfigMap");
        String sql = configMap.at("/data/pipeline.sql").asText();
        assertEquals(Files.readString(DEPLOY.resolve("pipeline.sql")).strip(), sql.strip(),
                "deploy/pipeline.sql and the ConfigMap hold the same pipeline");

        JsonNode pod = statefulSet().at("/spec/template/spec");
        JsonNode mount = find(pod.at("/containers/0/volumeMounts"), "mountPath", PIPELINE_PATH);
        assertEquals("pipeline.sql", mount.at("/subPath").asText(), "the ConfigMap key mounted as a file");
        JsonNode volume = find(pod.at("/volumes"), "name", mount.at("/name").asText());
        assertEquals(configMap.at("/metadata/name").asText(), volume.at("/configMap/name").asText());
        assertTrue(Files.readString(DEPLOY.resolve("entrypoint.sh")).contains("run \"${SLUICE_PIPELINE:-" + PIPELINE_PATH + "}\""));

        // state lives on the per-pod volume, so a restarted pod restores from local state
        JsonNode stateMount = find(pod.at("/containers/0/volumeMounts"), "mountPath", "/var/lib/sluice");
        JsonNode claim = find(statefulSet().at("/spec/volumeClaimTemplates"), "/metadata/name", stateMount.at("/name").asText());
        assertNotNull(claim);
        assertTrue(sql.contains("SET 'state.dir' = '/var/lib/sluice/"), "state.dir on the volume");
    }

    private static void assertProbe(JsonNode container, String probe, String path) {
        JsonNode get = container.at("/" + probe + "/httpGet");
        assertEquals(path, get.at("/path").asText(), probe + " path");
        int port = get.at("/port").isInt() ? get.at("/port").asInt() : namedPort(container, get.at("/port").asText());
        assertEquals(8080, port, probe + " port");
    }

    private static int namedPort(JsonNode container, String name) {
        return find(container.at("/ports"), "name", name).at("/containerPort").asInt();
    }

    private static JsonNode find(JsonNode array, String field, String value) {
        String pointer = field.startsWith("/") ? field : "/" + field;
        for (JsonNode element : array) {
            if (element.at(pointer).asText().equals(value)) {
                return element;
            }
        }
        throw new AssertionError("no element with " + field + " = " + value + " in " + array);
    }

    private static void assertSubset(Map<String, String> selector, Map<String, String> labels, String what) {
        assertFalse(selector.isEmpty(), what + " is empty: it would match every pod");
        selector.forEach((k, v) -> assertEquals(v, labels.get(k), what + " label " + k + " matches the pod template"));
    }

    private static Map<String, String> strings(JsonNode object) {
        Map<String, String> map = new HashMap<>();
        Iterator<Map.Entry<String, JsonNode>> fields = object.fields();
        fields.forEachRemaining(e -> map.put(e.getKey(), e.getValue().asText()));
        return map;
    }

    private static JsonNode statefulSet() throws IOException {
        return one("StatefulSet");
    }

    private static JsonNode one(String kind) throws IOException {
        List<JsonNode> found = kubernetesObjects().stream().filter(o -> o.at("/kind").asText().equals(kind)).toList();
        assertEquals(1, found.size(), "exactly one " + kind + " in deploy/k8s");
        return found.get(0);
    }

    private static List<JsonNode> kubernetesObjects() throws IOException {
        List<JsonNode> objects = new ArrayList<>();
        try (Stream<Path> files = Files.list(DEPLOY.resolve("k8s"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
                try (MappingIterator<JsonNode> docs = YAML.readerFor(JsonNode.class).readValues(file.toFile())) {
                    while (docs.hasNext()) {
                        JsonNode doc = docs.next();
                        if (doc != null && doc.has("kind") && doc.has("apiVersion")) {
                            objects.add(doc);
                        }
                    }
                }
            }
        }
        return objects;
    }
}

package dev.sluice.cli.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.google.gson.JsonElement;
import com.google.gson.JsonParser;
import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.openapi.models.V1PodDisruptionBudget;
import io.kubernetes.client.openapi.models.V1Service;
import io.kubernetes.client.openapi.models.V1StatefulSet;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Validates every object in {@code deploy/k8s} against the Kubernetes 1.32 API schema, through the
 * models Kubernetes generates from its own OpenAPI document ({@code io.kubernetes:client-java-api}
 * 24.0.0): a misspelled or misplaced field, a missing required one or a value of the wrong JSON type
 * fails, as {@code kubectl apply --validate=strict} would. No cluster runs here, so this is the check.
 */
class KubernetesSchemaTest {
    private static final YAMLMapper YAML = new YAMLMapper();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path K8S = DeployManifestsTest.DEPLOY.resolve("k8s");

    /** What each kind must declare for Kubernetes 1.32, and the model that validates it. */
    private record Kind(String apiVersion, Validator validator) {
    }

    @FunctionalInterface
    private interface Validator {
        void validate(JsonElement json) throws IOException;
    }

    private static final Map<String, Kind> KINDS = Map.of(
            "StatefulSet", new Kind("apps/v1", V1StatefulSet::validateJsonElement),
            "Service", new Kind("v1", V1Service::validateJsonElement),
            "ConfigMap", new Kind("v1", V1ConfigMap::validateJsonElement),
            "PodDisruptionBudget", new Kind("policy/v1", V1PodDisruptionBudget::validateJsonElement));

    @TestFactory
    Stream<DynamicTest> everyManifestIsValidAgainstTheKubernetesApiSchema() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        for (var object : objects().entrySet()) {
            tests.add(DynamicTest.dynamicTest(object.getKey(), () -> validate(object.getValue())));
        }
        assertTrue(tests.size() >= 4, "expected the StatefulSet, Service, ConfigMap and PodDisruptionBudget: " + tests);
        return tests.stream();
    }

    @Test
    void theKustomizationListsEveryManifest() throws IOException {
        JsonNode kustomization = YAML.readTree(K8S.resolve("kustomization.yaml").toFile());
        List<String> listed = new ArrayList<>();
        kustomization.get("resources").forEach(r -> listed.add(r.asText()));
        try (Stream<Path> files = Files.list(K8S)) {
            List<String> manifests = files.map(f -> f.getFileName().toString())
                    .filter(n -> n.endsWith(".yaml") && !n.equals("kustomization.yaml")).sorted().toList();
            assertEquals(manifests, listed.stream().sorted().toList());
        }
    }

    /** The check must be able to fail: a typo, a wrong type and a missing required field are each caught. */
    @Test
    void theSchemaCheckRejectsATypoAWrongTypeAndAMissingRequiredField() throws IOException {
        JsonNode statefulSet = objects().entrySet().stream().filter(e -> e.getKey().startsWith("StatefulSet"))
                .findFirst().orElseThrow().getValue();

        ObjectNode typo = statefulSet.deepCopy();
        ((ObjectNode) typo.get("spec")).set("replica", typo.get("spec").get("replicas"));
        assertThrows(AssertionError.class, () -> validate(typo));

        ObjectNode wrongType = statefulSet.deepCopy();
        ((ObjectNode) wrongType.at("/spec/template/spec/containers/0")).put("ports", "8080");
        assertThrows(AssertionError.class, () -> validate(wrongType));

        ObjectNode missing = statefulSet.deepCopy();
        ((ObjectNode) missing.get("spec")).remove("selector");
        assertThrows(AssertionError.class, () -> validate(missing));
    }

    private static void validate(JsonNode object) throws IOException {
        String kind = object.path("kind").asText();
        Kind expected = KINDS.get(kind);
        if (expected == null) {
            throw new AssertionError("no schema check for kind " + kind + "; add its model to KINDS");
        }
        assertEquals(expected.apiVersion(), object.path("apiVersion").asText(), kind + "'s apiVersion in Kubernetes 1.32");
        try {
            expected.validator().validate(JsonParser.parseString(JSON.writeValueAsString(object)));
        } catch (RuntimeException e) {
            // the generated validators throw IllegalArgumentException for unknown or missing fields and
            // ClassCastException/IllegalStateException for a value of the wrong JSON type
            throw new AssertionError(kind + " does not match the Kubernetes 1.32 schema: " + e.getMessage(), e);
        }
    }

    private static Map<String, JsonNode> objects() throws IOException {
        Map<String, JsonNode> objects = new TreeMap<>();
        try (Stream<Path> files = Files.list(K8S)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
                if (file.getFileName().toString().equals("kustomization.yaml")) {
                    continue; // a Kustomize file, not an API object
                }
                try (var parser = YAML.createParser(file.toFile())) {
                    var documents = YAML.readValues(parser, JsonNode.class);
                    while (documents.hasNext()) {
                        JsonNode object = documents.next();
                        objects.put(object.path("kind").asText() + " " + object.at("/metadata/name").asText()
                                + " (" + file.getFileName() + ")", object);
                    }
                }
            }
        }
        return objects;
    }
}

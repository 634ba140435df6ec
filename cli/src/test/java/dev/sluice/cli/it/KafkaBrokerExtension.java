package dev.sluice.cli.it;

import dev.sluice.cli.broker.EmbeddedKafkaBroker;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * One real Kafka broker per test JVM, started by the first test that asks for it and shared by every
 * test class after it; a broker start costs seconds, a topic costs milliseconds, so tests isolate
 * themselves with {@link #uniqueName} topics and application ids rather than with brokers.
 *
 * <p>Use {@code @ExtendWith(KafkaBrokerExtension.class)} and take an {@link EmbeddedKafkaBroker}
 * parameter. The broker lives in the root store, which JUnit closes when the whole run ends; the
 * broker's own shutdown hook stops the child JVM if the run is cut short.
 */
public final class KafkaBrokerExtension implements ParameterResolver {
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(KafkaBrokerExtension.class);
    private static final AtomicInteger NEXT = new AtomicInteger();

    /** Holds the broker so JUnit closes it (store values that are AutoCloseable are closed with their store). */
    private record SharedBroker(EmbeddedKafkaBroker broker) implements AutoCloseable {
        @Override
        public void close() {
            broker.close();
        }
    }

    public static EmbeddedKafkaBroker shared(ExtensionContext context) {
        return context.getRoot().getStore(NAMESPACE)
                .getOrComputeIfAbsent(SharedBroker.class, k -> startBroker(), SharedBroker.class)
                .broker();
    }

    private static SharedBroker startBroker() {
        EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start();
        System.out.println("shared test broker " + broker.bootstrapServers() + " started in "
                + broker.startupTime().toMillis() + " ms");
        return new SharedBroker(broker);
    }

    /** A name no other test in this JVM uses, for topics and application ids on the shared broker. */
    public static String uniqueName(String prefix) {
        return prefix + "-" + NEXT.incrementAndGet() + "-" + Long.toString(System.nanoTime() % 1_000_000, 36);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == EmbeddedKafkaBroker.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return shared(context);
    }
}

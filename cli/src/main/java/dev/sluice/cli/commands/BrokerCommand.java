package dev.sluice.cli.commands;

import dev.sluice.cli.UsageException;
import dev.sluice.cli.broker.EmbeddedKafkaBroker;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code sluice broker}: the same single-node KRaft broker {@code sluice run} embeds, as a process of
 * its own, until SIGTERM or Ctrl-C. For a laptop with several pipelines, for the container test, and
 * for the compose file where no registry serves a Kafka image: the Sluice image runs it.
 */
@Command(name = "broker", mixinStandardHelpOptions = true,
        description = "Runs a single-node Kafka broker (KRaft) until stopped; prints its bootstrap address.")
public final class BrokerCommand implements Callable<Integer> {

    @Option(names = "--data-dir", paramLabel = "DIR", description = "keep the broker's data here (default: a temporary directory)")
    Path dataDir;

    @Option(names = "--listen", paramLabel = "HOST:PORT",
            description = "listen here (default 127.0.0.1 on a free port; 0.0.0.0:9092 in a container)")
    String listen;

    @Option(names = "--advertise", paramLabel = "HOST:PORT", description = "the address clients are told to use")
    String advertise;

    @Option(names = "--topic", paramLabel = "NAME:PARTITIONS", description = "create this topic once the broker runs")
    List<String> topics = new ArrayList<>();

    @Option(names = "--max-heap", paramLabel = "SIZE", description = "the broker JVM's -Xmx (default 512m)")
    String maxHeap;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        var out = spec.commandLine().getOut();
        var err = spec.commandLine().getErr();
        EmbeddedKafkaBroker.Listener listener = listener();
        List<Map.Entry<String, Integer>> wanted = topics.stream().map(BrokerCommand::topic).toList();
        var settings = new EmbeddedKafkaBroker.Settings(dataDir, Duration.ofSeconds(120), maxHeap, Map.of(), listener);
        CountDownLatch stopped = new CountDownLatch(1);
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(settings)) {
            Runtime.getRuntime().addShutdownHook(new Thread(stopped::countDown, "sluice-broker-stop"));
            for (var topic : wanted) {
                if (!broker.admin().listTopics().names().get(30, java.util.concurrent.TimeUnit.SECONDS).contains(topic.getKey())) {
                    broker.createTopic(topic.getKey(), topic.getValue());
                }
            }
            out.println(broker.bootstrapServers());
            out.flush();
            err.println("sluice: broker ready on " + broker.bootstrapServers() + " after "
                    + broker.startupTime().toMillis() + " ms (data: " + broker.dataDir() + "); stop with Ctrl-C or SIGTERM");
            err.flush();
            // the broker is a child JVM: wait for this JVM's own stop signal, then close it in order
            while (!stopped.await(1, java.util.concurrent.TimeUnit.SECONDS)) {
                if (!broker.isAlive()) {
                    err.println("sluice: the broker process exited; see " + broker.logFile());
                    return 70;
                }
            }
        }
        return 0;
    }

    private EmbeddedKafkaBroker.Listener listener() {
        if (listen == null) {
            return new EmbeddedKafkaBroker.Listener("127.0.0.1", 0, advertise);
        }
        int colon = listen.lastIndexOf(':');
        if (colon <= 0) {
            throw new UsageException("--listen takes HOST:PORT, not " + listen);
        }
        return new EmbeddedKafkaBroker.Listener(listen.substring(0, colon), number("--listen", listen.substring(colon + 1)), advertise);
    }

    private static Map.Entry<String, Integer> topic(String spec) {
        int colon = spec.lastIndexOf(':');
        if (colon <= 0) {
            return Map.entry(spec, 1);
        }
        return Map.entry(spec.substring(0, colon), number("--topic partitions", spec.substring(colon + 1)));
    }

    private static int number(String option, String text) {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new UsageException(option + " needs a number, not " + text);
        }
    }
}

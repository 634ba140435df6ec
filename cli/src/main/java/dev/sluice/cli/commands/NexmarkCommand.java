package dev.sluice.cli.commands;

import dev.sluice.cli.ExitCodes;
import dev.sluice.cli.nexmark.NexmarkConfig;
import dev.sluice.cli.nexmark.NexmarkGenerator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** Writes Nexmark events as the JSON lines the Nexmark Kafka DDL reads (one event per line). */
@Command(name = "nexmark", description = "Generate Nexmark events (person:auction:bid 1:3:46) as JSON lines.")
public final class NexmarkCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--events", description = "number of events (default ${DEFAULT-VALUE})", defaultValue = "10000")
    long events;

    @Option(names = "--seed", description = "random seed; the same seed gives the same events (default ${DEFAULT-VALUE})",
            defaultValue = "1")
    long seed;

    @Option(names = "--rate", description = "events per second of event time (default ${DEFAULT-VALUE})",
            defaultValue = "1000")
    long rate;

    @Option(names = "--extra-bytes", description = "length of each event's `extra` string (default ${DEFAULT-VALUE})",
            defaultValue = "8")
    int extraBytes;

    @Option(names = "--out", description = "file to write (default: standard output)")
    Path out;

    @Override
    public Integer call() throws IOException {
        NexmarkConfig d = NexmarkConfig.defaults(events, seed, rate);
        NexmarkConfig config = new NexmarkConfig(events, seed, rate, d.startMillis(), d.personProportion(),
                d.auctionProportion(), d.bidProportion(), d.hotAuctionRatio(), d.hotSellerRatio(), d.hotBidderRatio(),
                d.activePeople(), d.inFlightAuctions(), extraBytes);
        try (Writer w = out == null
                ? new BufferedWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), 1 << 16)
                : Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
            NexmarkGenerator generator = new NexmarkGenerator(config);
            while (generator.hasNext()) {
                w.write(generator.next().json());
                w.write('\n');
            }
        }
        return ExitCodes.OK;
    }
}

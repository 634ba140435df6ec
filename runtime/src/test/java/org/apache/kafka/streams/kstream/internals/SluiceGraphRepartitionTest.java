package org.apache.kafka.streams.kstream.internals;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.junit.jupiter.api.Test;

/** repartitionThrough: the processor runs before the topic's sink, which keeps the DSL's names. */
class SluiceGraphRepartitionTest {
    private static final class Upper implements Processor<String, String, String, String> {
        private ProcessorContext<String, String> context;

        @Override
        public void init(ProcessorContext<String, String> context) {
            this.context = context;
        }

        @Override
        public void process(Record<String, String> record) {
            if (!record.value().startsWith("drop")) {
                context.forward(record.withKey(record.value().toUpperCase()));
            }
        }
    }

    @Test
    void recordsGoThroughTheProcessorAndTheTopicAsWithTheDslsRepartition() {
        StreamsBuilder builder = new StreamsBuilder();
        KStream<String, String> in = builder.stream("in", Consumed.with(Serdes.String(), Serdes.String()));
        SluiceGraph.repartitionThrough(in, "q-calc", Upper::new,
                        Repartitioned.<String, String>as("q-groupby").withKeySerde(Serdes.String())
                                .withValueSerde(Serdes.String()))
                .to("out", Produced.with(Serdes.String(), Serdes.String()));
        Topology topology = builder.build();
        String description = topology.describe().toString();
        assertEquals(true, description.contains("Sink: q-groupby-repartition-sink (topic: q-groupby-repartition)"),
                description);
        assertEquals(true, description.contains("Source: q-groupby-repartition-source (topics: [q-groupby-repartition])"),
                description);
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "graph-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        try (TopologyTestDriver driver = new TopologyTestDriver(topology, props)) {
            var input = driver.createInputTopic("in", Serdes.String().serializer(), Serdes.String().serializer());
            input.pipeInput("k1", "a");
            input.pipeInput("k2", "drop me");
            input.pipeInput("k3", "b");
            var out = driver.createOutputTopic("out", Serdes.String().deserializer(), Serdes.String().deserializer());
            assertEquals(List.of("A=a", "B=b"), out.readKeyValuesToList().stream().map(kv -> kv.key + "=" + kv.value)
                    .toList(), description);
        }
    }
}

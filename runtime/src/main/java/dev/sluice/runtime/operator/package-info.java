/**
 * Per-record operators: the processors that step builders put into a topology, each a named class
 * with a TopologyTestDriver test of its own (Kafka's {@code KStreamFilter} and its test are the
 * model). Builders in {@code runtime.build} wire them with names, stores and serdes.
 */
package dev.sluice.runtime.operator;

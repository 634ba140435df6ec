package dev.sluice.cli.qtt.ksqlfunctions;

/**
 * MULTI_ARG(BIGINT, STRING, INT, STRING...) of ksqlDB's functional tests: starts at the first
 * initial argument plus the lengths of the other ones, then adds each row's number (NULL counts 0)
 * and string length.
 */
public class MultiArgUdaf extends LengthSumUdaf {
    public void accumulate(Total total, Long number, String text) {
        total.sum += number(number) + Lengths.of(text);
    }
}

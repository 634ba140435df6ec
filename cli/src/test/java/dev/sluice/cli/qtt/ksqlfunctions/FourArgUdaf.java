package dev.sluice.cli.qtt.ksqlfunctions;

/** FOUR_ARG(BIGINT, STRING, STRING, STRING, INT, STRING...): MULTI_ARG with three string columns. */
public class FourArgUdaf extends LengthSumUdaf {
    public void accumulate(Total total, Long number, String a, String b, String c) {
        total.sum += number(number) + Lengths.of(a, b, c);
    }
}

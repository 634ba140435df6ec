package dev.sluice.cli.qtt.ksqlfunctions;

/** FIVE_ARG(BIGINT, STRING, STRING, STRING, INT, INT, STRING...): FOUR_ARG plus an INT column (NULL counts 0). */
public class FiveArgUdaf extends LengthSumUdaf {
    public void accumulate(Total total, Long number, String a, String b, String c, Integer extra) {
        total.sum += number(number) + Lengths.of(a, b, c) + (extra == null ? 0 : extra);
    }
}

package dev.sluice.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Median and spread of repeated measurements. */
public record Stats(double median, double min, double max) {
    public static Stats of(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int n = sorted.size();
        double median = n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
        return new Stats(median, sorted.get(0), sorted.get(n - 1));
    }

    /** (max - min) / median, in percent: how far apart the repetitions were. */
    public double spreadPercent() {
        return median == 0 ? 0 : (max - min) * 100 / median;
    }
}

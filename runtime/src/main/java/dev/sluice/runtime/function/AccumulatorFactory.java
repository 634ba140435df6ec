package dev.sluice.runtime.function;

import java.io.DataInput;
import java.io.IOException;

/** Creates empty accumulators for one aggregate call site and reads serialized ones back. */
public interface AccumulatorFactory {

    Accumulator create();

    Accumulator read(DataInput in) throws IOException;
}

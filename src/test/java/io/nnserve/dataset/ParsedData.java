package io.nnserve.dataset;

/** Decodes what a parser produced, to compare with what was sent. */
final class ParsedData {

    private ParsedData() {
    }

    static float[] values(NewDataset dataset) {
        float[] values = new float[(int) dataset.values().count()];
        int offset = 0;
        for (byte[] chunk : dataset.values()) {
            offset += dataset.values().type().decode(chunk, values, offset);
        }
        return values;
    }

    /** Every value of a loaded dataset, row-major, as floats. */
    static float[] values(io.nnserve.nn.Samples samples) {
        float[] values = new float[samples.rows() * samples.features()];
        for (int i = 0; i < samples.rows(); i++) {
            for (int j = 0; j < samples.features(); j++) {
                values[i * samples.features() + j] = samples.value(i, j);
            }
        }
        return values;
    }
}

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
}

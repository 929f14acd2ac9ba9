package io.nnserve.dataset;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;

import io.nnserve.nn.IdxReader;

/**
 * Reads a dataset from a pair of IDX files (MNIST layout): each image becomes one row of {@code rows x cols} grey
 * values 0..255, stored as they are (one byte each); the labels are class indices.
 */
final class IdxDatasetParser {

    private final SizeLimits limits;

    IdxDatasetParser(SizeLimits limits) {
        this.limits = limits;
    }

    NewDataset parse(InputStream imagesFile, InputStream labelsFile, String name, List<String> classNames)
            throws IOException {
        IdxReader.Images images;
        try {
            images = IdxReader.readImages(imagesFile, limits.maxUploadBytes(), this::checkDimensions);
        } catch (IdxReader.InvalidIdxException e) {
            throw Problems.fatal("images", e.getMessage());
        }
        int[] labels;
        try {
            labels = IdxReader.readLabels(labelsFile, limits.maxUploadBytes());
        } catch (IdxReader.InvalidIdxException e) {
            throw Problems.fatal("labels", e.getMessage());
        }
        if (labels.length != images.count()) {
            throw Problems.fatal("labels", "the labels file holds " + labels.length + " labels but the images file "
                    + images.count() + " images; send the labels that belong to these images");
        }
        Problems problems = new Problems();
        LabelCollector collector = new LabelCollector(limits.maxClasses(), problems);
        for (int i = 0; i < labels.length; i++) {
            collector.addIndex("labels[" + i + "]", labels[i], Integer.toString(labels[i]));
        }
        Names.checkDatasetName(name, problems);
        LabelCollector.Resolved resolved = collector.resolve(classNames, false);
        problems.throwIfAny();
        return new NewDataset(name.strip(), images.count(), images.features(), List.copyOf(resolved.classNames()),
                EncodedValues.ofUnsignedBytes(images.pixels()), resolved.labels(), null);
    }

    private void checkDimensions(int count, int rows, int cols) {
        if (count > limits.maxRows()) {
            throw Problems.limit("images", "the number of images (" + count + ")", limits.maxRows(), "max-rows");
        }
        if ((long) rows * cols > limits.maxFeatures()) {
            throw Problems.limit("images", "the pixels per image (" + rows + "x" + cols + ")", limits.maxFeatures(), "max-features");
        }
        if ((long) count * rows * cols > limits.maxDatasetValues()) {
            throw Problems.limit("images", "the number of values (" + count + " images x " + rows * cols + " pixels)",
                    limits.maxDatasetValues(), "max-dataset-values");
        }
    }
}

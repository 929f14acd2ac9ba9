package io.nnserve.dataset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.multipart;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.mock.web.MockMultipartFile;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;

import com.jayway.jsonpath.JsonPath;

import io.nnserve.nn.IdxReader;
import io.nnserve.nn.Samples;

/**
 * Fashion-MNIST's 60,000 training images through the whole dataset path: upload, store, load, and the loaded
 * samples equal what IdxReader reads from the files. Needs Debian's dataset-fashion-mnist:
 * {@code ./mvnw -B verify -Pfashion-mnist}. Timings are printed, never asserted.
 */
@Tag("fashion-mnist")
@SpringBootTest
@AutoConfigureMockMvc
class FashionMnistDatasetTest {

    private static final Path DIR = Path.of("/usr/share/datasets/fashion-mnist");

    @Autowired
    MockMvc mvc;

    @Autowired
    Datasets datasets;

    @Test
    void uploadsStoresAndLoadsTheTrainingSetExactly() throws Exception {
        byte[] images = Files.readAllBytes(DIR.resolve("train-images-idx3-ubyte.gz"));
        byte[] labels = Files.readAllBytes(DIR.resolve("train-labels-idx1-ubyte.gz"));

        long start = System.nanoTime();
        MvcResult result = mvc.perform(multipart("/datasets")
                        .file(new MockMultipartFile("images", "train-images-idx3-ubyte.gz", null, images))
                        .file(new MockMultipartFile("labels", "train-labels-idx1-ubyte.gz", null, labels))
                        .param("name", "fashion-mnist")
                        .param("classNames", "T-shirt/top,Trouser,Pullover,Dress,Coat,Sandal,Shirt,Sneaker,Bag,Ankle boot"))
                .andExpect(status().isCreated())
                .andReturn();
        long uploaded = System.nanoTime();
        String id = JsonPath.read(result.getResponse().getContentAsString(), "$.id");

        Datasets.LoadedDataset loaded = datasets.load(id);
        long loadedAt = System.nanoTime();
        System.out.printf("Fashion-MNIST train: upload+store %.0f ms, load %.0f ms%n",
                (uploaded - start) / 1e6, (loadedAt - uploaded) / 1e6);

        Samples samples = loaded.samples();
        assertThat(samples.rows()).isEqualTo(60_000);
        assertThat(samples.features()).isEqualTo(784);
        assertThat(samples.classes()).isEqualTo(10);
        assertThat(loaded.summary().classNames()).startsWith("T-shirt/top", "Trouser").endsWith("Ankle boot");
        try (InputStream i = Files.newInputStream(DIR.resolve("train-images-idx3-ubyte.gz"));
             InputStream l = Files.newInputStream(DIR.resolve("train-labels-idx1-ubyte.gz"))) {
            Samples expected = IdxReader.readSamples(i, l, Long.MAX_VALUE);
            assertThat(samples.unsignedBytes()).isTrue();
            assertThat(ParsedData.values(samples)).isEqualTo(ParsedData.values(expected));
            assertThat(samples.labels()).isEqualTo(expected.labels());
        }
    }
}

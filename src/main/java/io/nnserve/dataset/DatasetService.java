package io.nnserve.dataset;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import io.nnserve.nn.IdxReader;
import io.nnserve.system.ConflictException;
import io.nnserve.system.InvalidInputException;
import io.nnserve.system.LimitsProperties;
import io.nnserve.system.NotFoundException;
import io.nnserve.system.PayloadTooLargeException;

/**
 * Registers, lists, loads and deletes datasets. Uploads are parsed as streams under the configured limits and
 * fully validated before anything is written; a dataset is then stored in one transaction.
 */
@Service
class DatasetService implements Datasets {

    private static final Logger log = LoggerFactory.getLogger(DatasetService.class);
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    private final DatasetRepository repository;
    private final LimitsProperties limits;
    private final ObjectProvider<DatasetUsage> usages;
    private final TransactionTemplate transactions;
    private final JsonDatasetParser json;
    private final CsvDatasetParser csv;
    private final IdxDatasetParser idx;

    DatasetService(DatasetRepository repository, LimitsProperties limits, ObjectProvider<DatasetUsage> usages,
                   PlatformTransactionManager transactions) {
        this.repository = repository;
        this.limits = limits;
        this.usages = usages;
        this.transactions = new TransactionTemplate(transactions);
        this.json = new JsonDatasetParser(limits);
        this.csv = new CsvDatasetParser(SizeLimits.of(limits));
        this.idx = new IdxDatasetParser(SizeLimits.of(limits));
    }

    /** An uploaded body or file part: its bytes, its declared size (-1 when unknown) and its file name, if any. */
    record Upload(InputStream stream, long size, String filename) {
    }

    /** @param name used when the body has no name */
    DatasetSummary createFromJson(Upload body, String name, List<String> classNames) {
        return store(read(body, limits.maxJsonBodyBytes(), "max-json-body-bytes", "JSON body", "body",
                in -> json.parse(in, name, classNames)));
    }

    /** @param header the client says the first line is the header, though it may look like data */
    DatasetSummary createFromCsv(Upload file, Charset charset, String name, String label, List<String> classNames,
            boolean header) {
        String datasetName = name != null ? name : nameFromFile(file.filename(), "csv upload");
        // A byte that is not text in the charset is refused, not replaced by U+FFFD in a stored class name.
        return store(read(file, limits.maxUploadBytes(), "max-upload-bytes", "CSV upload", "file",
                in -> csv.parse(new InputStreamReader(in, charset.newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT)), datasetName, label, classNames, header)));
    }

    DatasetSummary createFromIdx(Upload images, Upload labels, String name, List<String> classNames) {
        String datasetName = name != null ? name : nameFromFile(images.filename(), "idx upload");
        checkDeclaredSize(images, limits.maxUploadBytes(), "max-upload-bytes", "images file");
        checkDeclaredSize(labels, limits.maxUploadBytes(), "max-upload-bytes", "labels file");
        // IdxReader decompresses and limits each file itself
        return store(withinLimit("max-upload-bytes", limits.maxUploadBytes(), "parts",
                () -> idx.parse(images.stream(), labels.stream(), datasetName, classNames)));
    }

    /** Purges what interrupted deletions left behind; run once at start-up. */
    void purgeLeftovers() {
        int purged = repository.purgeOrphanChunks();
        if (purged > 0) {
            log.info("purged the stored data of {} deleted dataset(s) whose deletion had been interrupted", purged);
        }
    }

    /**
     * Registers a built-in sample (a CSV resource, gzipped or not) under a fixed id unless it exists. Safe when
     * several instances start at once on one database: the loser of the race gets a duplicate key and moves on.
     */
    void registerSample(String id, String resource) {
        if (repository.exists(id)) {
            return;
        }
        try (InputStream in = Objects.requireNonNull(getClass().getResourceAsStream(resource), resource)) {
            NewDataset dataset = new CsvDatasetParser(SizeLimits.TRUSTED).parse(new InputStreamReader(IdxReader.decompressed(in, Long.MAX_VALUE, resource),
                    StandardCharsets.UTF_8), id, null, null, false);
            repository.insert(id, dataset, now());
            log.info("registered the built-in dataset '{}' ({} rows, {} classes)", id, dataset.rows(),
                    dataset.classNames().size());
        } catch (DuplicateKeyException e) {
            log.info("the built-in dataset '{}' was registered by another instance", id);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the built-in dataset " + resource, e);
        }
    }

    /** Reads a dataset from a decompressed, size-limited stream. */
    @FunctionalInterface
    private interface Parse {
        NewDataset from(InputStream in) throws IOException;
    }

    @FunctionalInterface
    private interface Parsing {
        NewDataset run() throws IOException;
    }

    List<DatasetSummary> list() {
        return repository.findAll();
    }

    @Override
    public Optional<DatasetSummary> find(String id) {
        return isId(id) ? repository.find(id) : Optional.empty();
    }

    DatasetSummary get(String id) {
        return find(id).orElseThrow(() -> new NotFoundException("Dataset", id));
    }

    @Override
    public boolean lockAgainstDeletion(String id) {
        return isId(id) && repository.lock(id);
    }

    @Override
    public LoadedDataset load(String id) {
        return (isId(id) ? repository.load(id) : Optional.<LoadedDataset>empty())
                .orElseThrow(() -> new NotFoundException("Dataset", id));
    }

    /**
     * Up to {@code limit} rows from {@code offset} on, for people looking at the data (the dashboard's predict
     * form); 404 for an unknown dataset, 400 for an offset past its last row.
     */
    DatasetRows rows(String id, int offset, int limit) {
        DatasetSummary summary = get(id);
        if (offset >= summary.rows()) {
            throw new InvalidInputException("Dataset '" + id + "' has " + summary.rows() + " rows, numbered from 0 to "
                    + (summary.rows() - 1) + ".", List.of(new InvalidInputException.FieldProblem("offset",
                    "must be less than " + summary.rows())));
        }
        int to = (int) Math.min(summary.rows(), (long) offset + limit);
        return repository.rows(id, offset, to).orElseThrow(() -> new NotFoundException("Dataset", id));
    }

    /** Deletes a dataset unless something (a queued or running job) still uses it. */
    void delete(String id) {
        if (!isId(id)) {
            throw new NotFoundException("Dataset", id);
        }
        // Locked, checked and deleted in one transaction: a job queued meanwhile (on any instance) either committed
        // before the lock was granted, and the check sees it, or waits for this commit and finds no dataset.
        transactions.executeWithoutResult(status -> {
            if (!repository.lock(id)) {
                throw new NotFoundException("Dataset", id);
            }
            ConflictException.refuseDeletionIfUsed("Dataset '" + id + "'",
                    usages.orderedStream().map(usage -> usage.usedBy(id)));
            repository.deleteSummary(id);
        });
        repository.purgeChunks(id);
        log.info("dataset {} deleted", id);
    }

    private DatasetSummary store(NewDataset dataset) {
        DatasetSummary summary = repository.insert(UUID.randomUUID().toString(), dataset, now());
        log.info("dataset {} registered: '{}', {} rows of {} features, {} classes", summary.id(), summary.name(),
                summary.rows(), summary.features(), summary.classes());
        return summary;
    }

    /** @param field names the upload in a 400's errors ("body", "file") */
    private static NewDataset read(Upload upload, long limit, String property, String what, String field,
            Parse parse) {
        checkDeclaredSize(upload, limit, property, what);
        return withinLimit(property, limit, field, () -> parse.from(IdxReader.decompressed(upload.stream(), limit, what)));
    }

    /**
     * Runs a parse, turning a byte limit hit while streaming into 413 naming the property, and a damaged gzip stream
     * or bytes that are not text in the upload's charset into 400.
     */
    private static NewDataset withinLimit(String property, long limit, String field, Parsing parsing) {
        try {
            return parsing.run();
        } catch (IdxReader.TooLargeException e) {
            throw tooLarge(e.getMessage(), property, limit);
        } catch (IdxReader.InvalidIdxException e) {
            throw Problems.fatal(field, e.getMessage());
        } catch (CharacterCodingException e) {
            throw Problems.fatal(field, "the upload is not valid text in its charset (bytes that do not decode);"
                    + " send UTF-8, or name the charset in the Content-Type, e.g. text/csv; charset=ISO-8859-1");
        } catch (IOException e) {
            throw new UncheckedIOException("the upload could not be read", e);
        }
    }

    private static void checkDeclaredSize(Upload upload, long limit, String property, String what) {
        if (upload.size() > limit) {
            throw tooLarge("The " + what + " is " + upload.size() + " bytes, more than the limit of " + limit + " bytes.",
                    property, limit);
        }
    }

    /** A 413 that names its limit and property as members, as the request body limit's does. */
    private static PayloadTooLargeException tooLarge(String message, String property, long limit) {
        return new PayloadTooLargeException(message + " The limit is nnserve.limits." + property
                + "; send less data or raise it.", "nnserve.limits." + property, limit);
    }

    private static String nameFromFile(String filename, String fallback) {
        if (filename == null || filename.isBlank()) {
            return fallback;
        }
        String name = filename.replaceAll(".*[/\\\\]", "").replaceAll("(?i)\\.gz$", "")
                .replaceAll("(?i)([.-]idx\\d-ubyte|\\.csv|\\.txt)$", "");
        return name.isBlank() || Names.problem(name) != null ? fallback : name;
    }

    private static boolean isId(String id) {
        return id != null && ID.matcher(id).matches();
    }

    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }
}

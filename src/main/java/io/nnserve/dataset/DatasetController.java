package io.nnserve.dataset;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.List;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;
import org.springframework.web.multipart.MultipartHttpServletRequest;
import org.springframework.web.util.WebUtils;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;

/**
 * {@code /datasets}: register a dataset from JSON, CSV or a pair of IDX files, list, inspect and delete. Bodies are
 * handed to the service as streams; nothing reads a whole upload into one string.
 */
@RestController
@RequestMapping(path = "/datasets", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "Datasets", description = "Labelled data to train on; iris and digits are built in")
class DatasetController {

    static final String TEXT_CSV = "text/csv";

    private final DatasetService datasets;

    DatasetController(DatasetService datasets) {
        this.datasets = datasets;
    }

    @PostMapping(consumes = {MediaType.APPLICATION_JSON_VALUE, TEXT_CSV, MediaType.MULTIPART_FORM_DATA_VALUE})
    @Operation(summary = "Register a dataset: JSON, CSV, or a pair of IDX files",
            description = """
                    - **JSON**: `features` (rows of numbers) and `labels` (class indices 0..C-1, or class names: then \
                    the classes are numbered in order of first appearance unless `classNames` gives the order).
                    - **CSV** (a `text/csv` body, or multipart part `file`; gzipped or not): a header row naming the \
                    columns, then one row per sample. The label column is `?label=` (default: the last); every other \
                    column is a numeric feature; every column needs a name (a nameless one, usually a saved row \
                    index, is refused). Labels that are all numbers are class indices (or, all among `classNames`, \
                    those names), labels that are all text class names; a mix is refused as a missing label. A first \
                    line that looks like data is refused (`?header=true` takes it as the header). A byte order mark, \
                    `\\r\\n` line ends and quoted fields are accepted; lines without a value are skipped.
                    - **IDX** (multipart parts `images` (idx3-ubyte) and `labels` (idx1-ubyte), gzipped or raw, the \
                    MNIST layout): each image becomes one row of rows x cols grey values 0..255 (28x28: 784 features).

                    400 names every problem found (row, column, what is wrong) in `errors`; 413 when the body is over \
                    `nnserve.limits.max-json-body-bytes` (JSON) or `max-upload-bytes` (files). Nothing is stored from \
                    a rejected upload.""")
    @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true, content = {
        @Content(mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = DatasetJson.class),
                examples = {
                    @ExampleObject(name = "class names", value = """
                            {"name": "xor", "features": [[0, 0], [0, 1], [1, 0], [1, 1]], "labels": ["no", "yes", "yes", "no"]}"""),
                    @ExampleObject(name = "class indices", value = """
                            {"name": "xor", "features": [[0, 0], [0, 1], [1, 0], [1, 1]], "labels": [0, 1, 1, 0],
                             "classNames": ["off", "on"]}""")}),
        @Content(mediaType = TEXT_CSV, schema = @Schema(type = "string"), examples = @ExampleObject(name = "xor", value = """
                x1,x2,label
                0,0,no
                0,1,yes
                1,0,yes
                1,1,no
                """)),
        @Content(mediaType = MediaType.MULTIPART_FORM_DATA_VALUE, schema = @Schema(implementation = DatasetFiles.class))})
    @ApiResponse(responseCode = "201", description = "Registered: the summary, with Location /datasets/{id}",
            headers = @Header(name = "Location", description = "/datasets/{id} of the new dataset", schema = @Schema(type = "string")))
    ResponseEntity<DatasetSummary> create(HttpServletRequest request,
            @Parameter(description = "Dataset name (default: the JSON field 'name', else the file name)", example = "xor")
            @RequestParam(required = false) String name,
            @Parameter(description = "CSV only: the label column's header (default: the last column)")
            @RequestParam(required = false) String label,
            @Parameter(description = "Class names in label order, comma-separated (optional). Numeric CSV labels that"
                    + " are all among them are taken as these names (-1,1 or 3,7,12), others as indices into them")
            @RequestParam(required = false) List<String> classNames,
            @Parameter(description = "CSV only: true when the first line is the header although it looks like data"
                    + " (columns named by numbers); the default refuses a first line that looks like data")
            @RequestParam(required = false) Boolean header) throws IOException {
        MediaType type = MediaType.parseMediaType(request.getContentType());
        boolean csvBody = type.isCompatibleWith(MediaType.parseMediaType(TEXT_CSV));
        if (!csvBody && (label != null || header != null)) {
            // a JSON body has its labels in 'labels'; an IDX pair, in the labels file; a CSV may come as part 'file'
            MultipartHttpServletRequest parts = WebUtils.getNativeRequest(request, MultipartHttpServletRequest.class);
            if (parts == null || parts.getFile("file") == null) {
                if (label != null) {
                    throw Problems.fatal("label", "applies to CSV uploads only; a JSON body has its labels in"
                            + " 'labels', an IDX upload in its part 'labels'");
                }
                throw Problems.fatal("header", "applies to CSV uploads only: JSON and IDX uploads have no header row");
            }
        }
        if (Boolean.FALSE.equals(header)) {
            throw Problems.fatal("header", "a CSV upload needs its header row; add one naming the columns (e.g."
                    + " x1,x2,label)");
        }
        boolean headerGiven = Boolean.TRUE.equals(header);
        if (type.isCompatibleWith(MediaType.APPLICATION_JSON)) {
            return created(datasets.createFromJson(body(request), name, classNames));
        }
        if (csvBody) {
            return created(datasets.createFromCsv(body(request), charset(type), name, label, classNames, headerGiven));
        }
        MultipartHttpServletRequest parts = WebUtils.getNativeRequest(request, MultipartHttpServletRequest.class);
        if (parts != null) {
            // a part given twice would be half ignored: which file is the dataset?
            for (String part : List.of("file", "images", "labels")) {
                if (parts.getFiles(part).size() > 1) {
                    throw Problems.fatal(part, "the part '" + part + "' is given " + parts.getFiles(part).size()
                            + " times; send it once (one dataset per upload)");
                }
            }
        }
        MultipartFile file = parts == null ? null : parts.getFile("file");
        MultipartFile images = parts == null ? null : parts.getFile("images");
        MultipartFile labels = parts == null ? null : parts.getFile("labels");
        if (file != null && images == null && labels == null) {
            return created(datasets.createFromCsv(upload(file), charset(partType(file)), name, label, classNames,
                    headerGiven));
        }
        if (file == null && images != null && labels != null) {
            return created(datasets.createFromIdx(upload(images), upload(labels), name, classNames));
        }
        String problem = file != null ? "send either part 'file' (CSV) or parts 'images' and 'labels' (IDX), not both"
                : images != null ? "part 'labels' is missing; IDX needs parts 'images' and 'labels'"
                : labels != null ? "part 'images' is missing; IDX needs parts 'images' and 'labels'"
                : "no file: send part 'file' (CSV) or parts 'images' and 'labels' (IDX)";
        throw Problems.fatal("parts", problem);
    }

    @GetMapping
    @Operation(summary = "List the datasets", description = "Oldest first; the built-in iris and digits are among them.")
    List<DatasetSummary> list() {
        return datasets.list();
    }

    @GetMapping("/{id}")
    @Operation(summary = "Describe a dataset", description = "404 for an unknown id.")
    DatasetSummary get(@Parameter(example = "iris") @PathVariable String id) {
        return datasets.get(id);
    }

    @DeleteMapping("/{id}")
    @Operation(summary = "Delete a dataset", description = "204 when deleted; 404 for an unknown id; 409 while a"
            + " queued or running job uses it. A deleted built-in sample is registered again at the next start.")
    @ApiResponse(responseCode = "204", description = "Deleted")
    @ApiResponse(responseCode = "409", description = "A queued or running job uses this dataset")
    // no example id: Swagger UI's "Try it out" would otherwise offer to delete a built-in sample with one click
    ResponseEntity<Void> delete(@Parameter(description = "the id of the dataset to delete") @PathVariable String id) {
        datasets.delete(id);
        return ResponseEntity.noContent().build();
    }

    private static ResponseEntity<DatasetSummary> created(DatasetSummary summary) {
        return ResponseEntity.created(URI.create("/datasets/" + summary.id())).body(summary);
    }

    private static DatasetService.Upload body(HttpServletRequest request) throws IOException {
        return new DatasetService.Upload(request.getInputStream(), request.getContentLengthLong(), null);
    }

    private static DatasetService.Upload upload(MultipartFile file) throws IOException {
        return new DatasetService.Upload(file.getInputStream(), file.getSize(), file.getOriginalFilename());
    }

    /**
     * The charset that the Content-Type names, UTF-8 when it names none. Read from the header itself: the request's
     * character encoding is forced to UTF-8 by Boot's encoding filter, whatever the client declared.
     */
    private static Charset charset(MediaType type) {
        return type.getCharset() != null ? type.getCharset() : StandardCharsets.UTF_8;
    }

    /** A file part's own Content-Type, which may name its charset. */
    private static MediaType partType(MultipartFile file) {
        try {
            return file.getContentType() == null ? MediaType.parseMediaType(TEXT_CSV)
                    : MediaType.parseMediaType(file.getContentType());
        } catch (InvalidMediaTypeException e) {
            throw Problems.fatal("file", "the part's Content-Type cannot be read (" + e.getMessage() + "); send"
                    + " text/csv, with a charset Java knows if it is not UTF-8");
        }
    }
}

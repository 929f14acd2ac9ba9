package io.nnserve.dataset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

import org.junit.jupiter.api.Test;

import io.nnserve.system.InvalidInputException;
import io.nnserve.system.LimitsProperties;

class CsvDatasetParserTest {

    private static NewDataset parse(String csv) throws IOException {
        return parse(csv, null, null, TestLimits.defaults());
    }

    private static NewDataset parse(String csv, String label, List<String> classNames, LimitsProperties limits)
            throws IOException {
        return new CsvDatasetParser(SizeLimits.of(limits)).parse(new StringReader(csv), "test", label, classNames, false);
    }

    private static InvalidInputException rejected(String csv) {
        return rejected(csv, null, null, TestLimits.defaults());
    }

    private static InvalidInputException rejected(String csv, String label, List<String> classNames, LimitsProperties limits) {
        return catchThrowableOfType(InvalidInputException.class, () -> parse(csv, label, classNames, limits));
    }

    @Test
    void stringLabelsBecomeClassNamesInOrderOfFirstAppearance() throws IOException {
        NewDataset d = parse("a,b,species\n1,2,setosa\n3,4.5,virginica\n5,6,setosa\n7,8,versicolor\n");
        assertThat(d.rows()).isEqualTo(4);
        assertThat(d.features()).isEqualTo(2);
        assertThat(d.classNames()).containsExactly("setosa", "virginica", "versicolor");
        assertThat(d.labels()).containsExactly(0, 1, 0, 2);
        assertThat(ParsedData.values(d)).containsExactly(1, 2, 3, 4.5f, 5, 6, 7, 8);
        assertThat(d.values().type()).isEqualTo(ValueType.FLOAT32);
    }

    @Test
    void numericLabelsAreClassIndices() throws IOException {
        NewDataset d = parse("p0,p1,digit\n0,16,2\n3,4,0\n5,6,1\n");
        assertThat(d.classNames()).containsExactly("0", "1", "2");
        assertThat(d.labels()).containsExactly(2, 0, 1);
        assertThat(d.values().type()).isEqualTo(ValueType.UINT8);
        assertThat(ParsedData.values(d)).containsExactly(0, 16, 3, 4, 5, 6);
    }

    @Test
    void classNamesGiveTheOrderOfStringLabels() throws IOException {
        NewDataset d = parse("x,y\n1,b\n2,a\n", null, List.of("a", "b", "c"), TestLimits.defaults());
        assertThat(d.classNames()).containsExactly("a", "b", "c");
        assertThat(d.labels()).containsExactly(1, 0);
    }

    @Test
    void classNamesNameNumericLabels() throws IOException {
        NewDataset d = parse("x,y\n1,1\n2,0\n", null, List.of("cat", "dog"), TestLimits.defaults());
        assertThat(d.classNames()).containsExactly("cat", "dog");
        assertThat(d.labels()).containsExactly(1, 0);
    }

    @Test
    void labelColumnCanBeAnyColumn() throws IOException {
        NewDataset d = parse("class,x,y\nb,1,2\na,3,4\n", "class", null, TestLimits.defaults());
        assertThat(d.features()).isEqualTo(2);
        assertThat(d.labels()).containsExactly(0, 1);
        assertThat(ParsedData.values(d)).containsExactly(1, 2, 3, 4);
    }

    @Test
    void byteOrderMarkCrLfQuotesAndBlankLines() throws IOException {
        String csv = "\uFEFF\"x\", y ,label\r\n\r\n 1 ,\"2\",\"big, \"\"red\"\"\"\r\n3,4, \"spaced\" \r\n5,6,plain\r\n\r\n";
        NewDataset d = parse(csv, "label", null, TestLimits.defaults());
        assertThat(d.classNames()).containsExactly("big, \"red\"", "spaced", "plain");
        assertThat(ParsedData.values(d)).containsExactly(1, 2, 3, 4, 5, 6);
    }

    @Test
    void quotedFieldsSpanningLinesKeepTheLineNumbersRight() {
        InvalidInputException e = rejected("x,label\r\n1,\"a\r\nb\"\r\nbad,c\r\n");
        assertThat(e.problems()).extracting(InvalidInputException.FieldProblem::field)
                .containsExactly("line 2, column 2 ('label')", "line 4, column 1 ('x')");
        assertThat(e.problems().get(0).message()).contains("control character U+000D");
    }

    @Test
    void lastLineWithoutNewlineAndLoneCarriageReturns() throws IOException {
        NewDataset d = parse("x,l\r1,a\r2,b");
        assertThat(d.rows()).isEqualTo(2);
    }

    @Test
    void wholeNumbersAreAcceptedAsColumnNames() throws IOException {
        assertThat(parse("0,1,digit\n1,2,a\n3,4,b\n").features()).isEqualTo(2);
    }

    @Test
    void missingHeaderIsNamed() {
        for (String csv : List.of("1,2,3\n4,5,6\n", "5.1,3.5,setosa\n4.9,3.0,setosa\n")) {
            InvalidInputException e = rejected(csv);
            assertThat(e.problems().get(0).field()).isEqualTo("line 1");
            assertThat(e.getMessage()).contains("looks like data").contains("header");
        }
    }

    /** Line 1 of whole numbers and a text label sits above a line of the same kinds: a row, not a header. */
    @Test
    void aHeaderlessFileOfCountsAndNamesLosesNoRow() {
        InvalidInputException e = rejected("1,2,cat\n3,4,dog\n5,6,cat\n");
        assertThat(e.problems().get(0).field()).isEqualTo("line 1");
        assertThat(e.getMessage()).contains("'1,2,cat' looks like data").contains("?header=true");
    }

    @Test
    void columnsNamedByNumbersAreAHeaderWhenTheClientSaysSo() throws IOException {
        // what pandas writes for a frame without column names, and wavelengths as names
        for (String csv : List.of("0,1,2,3\n0.5,1.5,2.5,1\n1.5,0.5,2.5,0\n",
                "400.5,401.0,class\n0.1,0.2,a\n0.3,0.4,b\n")) {
            assertThat(rejected(csv).getMessage()).contains("looks like data");
            NewDataset d = new CsvDatasetParser(SizeLimits.of(TestLimits.defaults()))
                    .parse(new StringReader(csv), "test", null, null, true);
            assertThat(d.rows()).isEqualTo(2);
            assertThat(d.features()).isEqualTo(csv.startsWith("0,") ? 3 : 2);
        }
    }

    @Test
    void aNamelessColumnIsRefusedAsTheRowIndexItUsuallyIs() {
        // pandas DataFrame.to_csv() and R write.csv() with their row index; pandas' name for it once read back
        for (String csv : List.of(",x1,x2,species\n0,1,2,a\n1,3,4,b\n", "\"\",\"x1\",\"label\"\n\"1\",1,a\n\"2\",3,b\n",
                "Unnamed: 0,x1,label\n0,1,a\n1,3,b\n")) {
            InvalidInputException e = rejected(csv);
            assertThat(e.problems().get(0).field()).as(csv).isEqualTo("line 1, column 1");
            assertThat(e.getMessage()).contains("row index").contains("index=False").contains("row.names = FALSE");
        }
        InvalidInputException trailing = rejected("x1,x2,label,\n1,2,a,\n3,4,b,\n");
        assertThat(trailing.problems().get(0).field()).isEqualTo("line 1, column 4");
        assertThat(trailing.getMessage()).contains("name every column").contains("separator at the end");
    }

    @Test
    void aSemicolonOrTabSeparatedFileIsNamedAsSuch() {
        assertThat(rejected("\uFEFFx1;x2;label\r\n5,1;3,5;a\r\n").getMessage())
                .contains("single column").contains("semicolons").contains("'.' as the decimal point");
        assertThat(rejected("x1\tx2\tlabel\n1\t2\ta\n").getMessage()).contains("tabs");
    }

    @Test
    void rowsWithoutAValueAreSkippedLikeBlankLines() throws IOException {
        // above the header too: a line of spaces was read as a field of negative length
        NewDataset d = parse("   \n,,\nx1,x2,label\n1,2,a\n,,\n   \n3,4,b\n,,\n , ,\n");
        assertThat(d.rows()).isEqualTo(2);
        assertThat(d.labels()).containsExactly(0, 1);
    }

    @Test
    void numericLabelsThatAreAllClassNamesAreTakenAsNames() throws IOException {
        NewDataset svm = parse("x,y\n1,1\n2,-1\n3,1\n", null, List.of("-1", "1"), TestLimits.defaults());
        assertThat(svm.classNames()).containsExactly("-1", "1");
        assertThat(svm.labels()).containsExactly(1, 0, 1);
        NewDataset sparse = parse("x,y\n1,12\n2,3\n3,7\n", null, List.of("3", "7", "12"), TestLimits.defaults());
        assertThat(sparse.classNames()).containsExactly("3", "7", "12");
        assertThat(sparse.labels()).containsExactly(2, 0, 1);
        // without the names, -1 is a negative index, and the message says how to name it
        assertThat(rejected("x,y\n1,1\n2,-1\n").getMessage()).contains("?classNames=-1,1");
    }

    /** One "NA" among 0/1 labels would otherwise make all three names, "1" numbered first: every label shifted. */
    @Test
    void aTextLabelAmongNumbersIsRefusedAsAMissingLabel() throws IOException {
        for (String missing : List.of("NA", "?", "n/a")) {
            InvalidInputException e = rejected("x,y\n1,1\n2,0\n3," + missing + "\n4,1\n");
            assertThat(e.problems()).hasSize(1);
            assertThat(e.problems().get(0).field()).isEqualTo("line 4, column 2 ('y')");
            assertThat(e.problems().get(0).message()).contains("'" + missing + "' is not a number")
                    .contains("line 2, column 2 ('y') is '1'").contains("missing label");
        }
        // names that include numbers, listed: taken as names
        NewDataset d = parse("x,y\n1,1\n2,other\n3,0\n", null, List.of("0", "1", "other"), TestLimits.defaults());
        assertThat(d.labels()).containsExactly(1, 2, 0);
    }

    @Test
    void emptyAndHeaderOnly() {
        assertThat(rejected("").getMessage()).contains("empty");
        assertThat(rejected("\uFEFF\r\n\r\n").getMessage()).contains("empty");
        assertThat(rejected("x,label\n").getMessage()).contains("no rows");
    }

    @Test
    void onlyTheLabelColumn() {
        assertThat(rejected("label\na\nb\n").getMessage()).contains("at least one feature column");
    }

    @Test
    void quoteInsideAnUnquotedField() {
        InvalidInputException e = rejected("x,label\n1,ab\"c\n");
        assertThat(e.problems().get(0).field()).isEqualTo("line 2, column 2");
        assertThat(e.getMessage()).contains("double quote inside an unquoted field");
    }

    @Test
    void unclosedQuote() {
        InvalidInputException e = rejected("x,label\n1,a\n2,\"b\n3,c\n");
        assertThat(e.getMessage()).contains("starts on line 3").contains("never closed");
    }

    @Test
    void textAfterAClosingQuote() {
        assertThat(rejected("x,label\n1,\"a\"b\n").getMessage()).contains("after the closing quote");
    }

    @Test
    void everyBadValueIsListedWithLineAndColumn() {
        InvalidInputException e = rejected("a,b,label\n1,2,x\n1,abc,y\n1\n,2,x\nNaN,Infinity,y\n1e39,2,x\n3,4,\n");
        assertThat(e.problems()).extracting(InvalidInputException.FieldProblem::field).containsExactly(
                "line 3, column 2 ('b')",
                "line 4",
                "line 5, column 1 ('a')",
                "line 6, column 1 ('a')",
                "line 6, column 2 ('b')",
                "line 7, column 1 ('a')",
                "line 8, column 3 ('label')");
        assertThat(e.problems()).extracting(InvalidInputException.FieldProblem::message).satisfiesExactly(
                m -> assertThat(m).contains("'abc' is not a number"),
                m -> assertThat(m).contains("has 1 fields but the header has 3"),
                m -> assertThat(m).contains("missing"),
                m -> assertThat(m).contains("'NaN' is not a finite number"),
                m -> assertThat(m).contains("'Infinity' is not a finite number"),
                m -> assertThat(m).contains("float32"),
                m -> assertThat(m).contains("label is empty"));
        assertThat(e.getMessage()).startsWith("The dataset was not stored: line 3, column 2 ('b'): 'abc' is not a number")
                .contains("and 6 more");
    }

    @Test
    void reportingStopsAfterTwentyProblems() {
        StringBuilder csv = new StringBuilder("x,label\n");
        for (int i = 0; i < 1000; i++) {
            csv.append("bad,a\n");
        }
        InvalidInputException e = rejected(csv.toString());
        assertThat(e.problems()).hasSize(Problems.MAX);
        assertThat(e.getMessage()).contains("stopped after 20 problems");
    }

    @Test
    void oneClassOnly() {
        assertThat(rejected("x,label\n1,a\n2,a\n").getMessage()).contains("at least 2 classes").contains("'a'");
        assertThat(rejected("x,label\n1,0\n2,0\n").getMessage()).contains("at least 2 classes");
    }

    @Test
    void numericLabelsMustBeNonNegativeWholeNumbers() {
        assertThat(rejected("x,label\n1,0\n2,-1\n").problems().get(0))
                .satisfies(p -> assertThat(p.field()).isEqualTo("line 3, column 2 ('label')"))
                .satisfies(p -> assertThat(p.message()).contains("negative"));
        assertThat(rejected("x,label\n1,0\n2,1.5\n").getMessage()).contains("not a whole number");
    }

    @Test
    void labelsOutsideTheGivenClassNames() {
        assertThat(rejected("x,label\n1,0\n2,2\n", null, List.of("a", "b"), TestLimits.defaults()).getMessage())
                .contains("outside 0..1");
        assertThat(rejected("x,label\n1,a\n2,c\n", null, List.of("a", "b"), TestLimits.defaults()).getMessage())
                .contains("'c' is not one of classNames");
    }

    @Test
    void absurdOrDuplicateClassNames() {
        InvalidInputException e = rejected("x,label\n1,0\n2,1\n", null, List.of("a", "a", "", "x".repeat(201), "tab\there"),
                TestLimits.defaults());
        assertThat(e.problems()).extracting(InvalidInputException.FieldProblem::field)
                .contains("classNames[1]", "classNames[2]", "classNames[3]", "classNames[4]");
        assertThat(rejected("x,label\n1,a\n2," + "y".repeat(201) + "\n").getMessage()).contains("at most 200");
        assertThat(rejected("x,label\n1,a\n2,\"b\u0007\"\n").getMessage()).contains("control character U+0007");
    }

    @Test
    void unknownOrAmbiguousLabelColumn() {
        assertThat(rejected("x,y\n1,2\n", "label", null, TestLimits.defaults()).getMessage())
                .contains("no column 'label'").contains("x, y");
        assertThat(rejected("l,x,l\na,1,a\n", "l", null, TestLimits.defaults()).getMessage()).contains("more than one column");
    }

    @Test
    void rowLimitStopsReading() {
        InvalidInputException e = rejected("x,l\n1,a\n2,b\n3,a\n4,b\n", null, null, TestLimits.with(Map.of("max-rows", "3")));
        assertThat(e.getMessage()).contains("nnserve.limits.max-rows").contains("3");
    }

    @Test
    void featureLimitIsCheckedOnTheHeader() {
        InvalidInputException e = rejected("a,b,c,l\n1,2,3,a\n", null, null, TestLimits.with(Map.of("max-features", "2")));
        assertThat(e.getMessage()).contains("nnserve.limits.max-features");
    }

    @Test
    void valueLimit() {
        InvalidInputException e = rejected("a,b,l\n1,2,a\n3,4,b\n5,6,a\n", null, null,
                TestLimits.with(Map.of("max-dataset-values", "5")));
        assertThat(e.getMessage()).contains("nnserve.limits.max-dataset-values");
    }

    @Test
    void classLimit() {
        InvalidInputException e = rejected("a,l\n1,a\n2,b\n3,c\n", null, null, TestLimits.with(Map.of("max-classes", "2")));
        assertThat(e.getMessage()).contains("nnserve.limits.max-classes");
        assertThat(rejected("a,l\n1,0\n2,5\n", null, null, TestLimits.with(Map.of("max-classes", "2"))).getMessage())
                .contains("nnserve.limits.max-classes");
    }

    @Test
    void overlongFieldStopsReading() {
        assertThat(rejected("x,l\n" + "1".repeat(CsvReader.MAX_FIELD_CHARS + 1) + ",a\n").getMessage())
                .contains("longer than " + CsvReader.MAX_FIELD_CHARS);
    }

    @Test
    void readsTheBuiltInDigitsSample() throws IOException {
        try (InputStream in = new GZIPInputStream(getClass().getResourceAsStream("/samples/digits.csv.gz"))) {
            NewDataset d = new CsvDatasetParser(SizeLimits.of(TestLimits.defaults()))
                    .parse(new InputStreamReader(in, StandardCharsets.UTF_8), "digits", null, null, false);
            assertThat(d.rows()).isEqualTo(1797);
            assertThat(d.features()).isEqualTo(64);
            assertThat(d.classNames()).containsExactly("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");
            assertThat(d.values().type()).isEqualTo(ValueType.UINT8);
        }
    }
}

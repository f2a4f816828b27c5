package io.github.lstm4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.lstm4j.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The numeric CSV reader: header, quotes, missing values and error positions. */
class CsvTest {

    @Test
    void readsNumericColumnsByNameOrIndexNextToTextColumns() {
        Csv csv = Csv.parse("t.csv", "\uFEFF\"month\",\"passengers\",rate\r\n1949-01,112,1.5e-1\r\n\n1949-02,118,-2\r\n");
        assertEquals(List.of("month", "passengers", "rate"), csv.header());
        assertEquals(2, csv.rows());
        assertArrayEquals(new float[] {112, 118}, csv.column("passengers"));
        assertArrayEquals(new float[] {0.15f, -2f}, csv.column(2));
        assertArrayEquals(new String[] {"1949-01", "1949-02"}, csv.strings("month"));
        Tensor t = csv.tensor("rate", "passengers");
        assertArrayEquals(new int[] {2, 2}, t.shape());
        assertArrayEquals(new float[] {0.15f, 112, -2, 118}, t.data());
    }

    @Test
    void badValueNamesFileLineAndColumn() {
        Csv csv = Csv.parse("data.csv", "year,value\n1700,5\n1701,5x\n");
        String msg = assertThrows(IllegalArgumentException.class, () -> csv.column("value")).getMessage();
        assertTrue(msg.contains("data.csv") && msg.contains("line 3") && msg.contains("column 2")
            && msg.contains("value") && msg.contains("5x"), msg);
        assertArrayEquals(new float[] {1700, 1701}, csv.column("year"));
        String month = assertThrows(IllegalArgumentException.class,
            () -> Csv.parse("m.csv", "month\n1949-01\n").column(0)).getMessage();
        assertTrue(month.contains("1949-01"), month);
    }

    @Test
    void emptyCellsAreErrorsUnlessAFillValueIsGiven() {
        Csv csv = Csv.parse("co2.csv", "date,co2\n19580329,316.1\n19580510,\n19580517,317.5\n");
        String msg = assertThrows(IllegalArgumentException.class, () -> csv.column("co2")).getMessage();
        assertTrue(msg.contains("line 3") && msg.contains("empty"), msg);
        float[] filled = csv.column("co2", Float.NaN);
        assertEquals(316.1f, filled[0]);
        assertTrue(Float.isNaN(filled[1]));
    }

    @Test
    void malformedFilesAreRejectedWithTheLine() {
        String fields = assertThrows(IllegalArgumentException.class, () -> Csv.parse("f.csv", "a,b\n1,2\n3\n"))
            .getMessage();
        assertTrue(fields.contains("line 3") && fields.contains("expected 2"), fields);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Csv.parse("q.csv", "a\n\"1\n"))
            .getMessage().contains("line 2"));
        assertThrows(IllegalArgumentException.class, () -> Csv.parse("e.csv", "\n\n"));
        assertThrows(IllegalArgumentException.class, () -> Csv.parse("d.csv", "a,a\n1,2\n"));
        String unknown = assertThrows(IllegalArgumentException.class, () -> Csv.parse("u.csv", "a,b\n1,2\n").column("c"))
            .getMessage();
        assertTrue(unknown.contains("\"c\"") && unknown.contains("[a, b]"), unknown);
    }

    @Test
    void readsAFileAndNamesItInErrors(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("series.csv");
        Files.writeString(file, "x\n1\nNaN\noops\n");
        Csv csv = Csv.read(file);
        String msg = assertThrows(IllegalArgumentException.class, () -> csv.column("x")).getMessage();
        assertTrue(msg.contains(file.toString()) && msg.contains("line 4"), msg);
    }

    @Test
    void readsTheSharedDataSets() throws IOException {
        Path data = Paths.get(System.getProperty("lstm4j.projectDir", "."), "..", "shared", "data");
        Assumptions.assumeTrue(Files.isDirectory(data), "no shared data folder at " + data);
        float[] sun = Csv.read(data.resolve("sunspots.csv")).column("SUNACTIVITY");
        assertEquals(309, sun.length);
        assertEquals(5f, sun[0]);
        float[] co2 = Csv.read(data.resolve("co2.csv")).column("co2", Float.NaN);
        assertEquals(2284, co2.length);
        int missing = 0;
        for (float v : co2) {
            missing += Float.isNaN(v) ? 1 : 0;
        }
        assertEquals(59, missing);
        assertEquals(144, Csv.read(data.resolve("airpassengers.csv")).column("passengers").length);
    }
}

package io.github.lstm4j;

import io.github.lstm4j.parity.Fixture;
import io.github.lstm4j.parity.ParityKind;
import io.github.lstm4j.parity.ParityKinds;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * One dynamic test per {@code *.safetensors} PyTorch reference case in the folder named by the
 * system property {@code lstm4j.fixtures} (default {@code ../shared/fixtures/pytorch}), dispatched
 * on the case's metadata {@code kind} and built from its {@code config} alone, so new cases of a
 * known kind run without code changes:
 * {@code mvn test -Dtest=PyTorchParityTest -Dlstm4j.fixtures=/some/folder}.
 * A case whose kind no runner knows fails, naming the kind.
 */
class PyTorchParityTest {

    static Path fixturesDir() {
        return Paths.get(System.getProperty("lstm4j.fixtures", "../shared/fixtures/pytorch"));
    }

    @TestFactory
    Stream<DynamicTest> everyFixtureMatchesPyTorch() throws IOException {
        return casesIn(fixturesDir(), "set -Dlstm4j.fixtures=FOLDER");
    }

    /** One dynamic test per case file in {@code dir}; a missing or empty folder is an error. */
    static Stream<DynamicTest> casesIn(Path dir, String hint) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new IllegalStateException("reference folder " + dir.toAbsolutePath() + " does not exist; " + hint);
        }
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(p -> p.getFileName().toString().endsWith(".safetensors")).sorted().collect(Collectors.toList());
        }
        if (files.isEmpty()) {
            throw new IllegalStateException("no *.safetensors cases in " + dir.toAbsolutePath() + "; " + hint);
        }
        return files.stream().map(file -> DynamicTest.dynamicTest(file.getFileName().toString(), file.toUri(), () -> {
            Fixture f = Fixture.read(file);
            ParityKind kind = ParityKinds.forKind(f.kind());
            if (kind == null) {
                throw new AssertionError(file.getFileName() + ": no runner for fixture kind '" + f.kind()
                    + "' (expected a class " + ParityKinds.className(String.valueOf(f.kind())) + ")");
            }
            kind.run(f);
        }));
    }
}

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
 * The PyTorch reference cases this project generates itself, beyond the shared fixtures: one
 * dynamic test per {@code *.safetensors} file in {@code src/test/resources/pytorch-extra}
 * (written by {@code make_losses.py} there: L1, Huber, smooth L1, cross-entropy and
 * BCE-with-logits losses, and Embedding), dispatched on the metadata {@code kind} exactly as
 * {@link PyTorchParityTest} does. Every kind here has a runner: an unknown kind fails.
 */
class PyTorchExtraParityTest {

    static Path extraDir() {
        String project = System.getProperty("lstm4j.projectDir", ".");
        return Paths.get(project, "src", "test", "resources", "pytorch-extra");
    }

    @TestFactory
    Stream<DynamicTest> everyExtraCaseMatchesPyTorch() throws IOException {
        Path dir = extraDir();
        if (!Files.isDirectory(dir)) {
            throw new IllegalStateException("reference folder " + dir.toAbsolutePath() + " does not exist");
        }
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(p -> p.getFileName().toString().endsWith(".safetensors")).sorted().collect(Collectors.toList());
        }
        if (files.isEmpty()) {
            throw new IllegalStateException("no *.safetensors cases in " + dir.toAbsolutePath()
                + "; run /usr/bin/python3 make_losses.py there");
        }
        return files.stream().map(file -> DynamicTest.dynamicTest(file.getFileName().toString(), file.toUri(), () -> {
            Fixture f = Fixture.read(file);
            ParityKind kind = ParityKinds.forKind(f.kind());
            if (kind == null) {
                throw new AssertionError(f.name() + ": no runner for kind '" + f.kind() + "'");
            }
            kind.run(f);
        }));
    }
}

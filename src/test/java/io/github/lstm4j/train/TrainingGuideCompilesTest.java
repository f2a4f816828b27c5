package io.github.lstm4j.train;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.lstm4j.Tensor;
import io.github.lstm4j.examples.LSTMModel;
import io.github.lstm4j.examples.support.LinePlot;
import java.io.File;
import java.io.IOException;
import java.io.StringWriter;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keeps docs/training.md honest: every {@code java} block is compiled against the library, each
 * as the body of its own method. Names that several blocks share ({@code model}, {@code optimizer},
 * {@code trainLoader}, ...) are fields of the generated class, which a block may redeclare.
 */
class TrainingGuideCompilesTest {

    private static final String HEADER = String.join("\n",
        "import io.github.lstm4j.*;",
        "import io.github.lstm4j.autograd.*;",
        "import io.github.lstm4j.data.*;",
        "import io.github.lstm4j.nn.*;",
        "import io.github.lstm4j.nn.Module;",
        "import io.github.lstm4j.optim.*;",
        "import io.github.lstm4j.train.*;",
        "import io.github.lstm4j.examples.LSTMModel;",
        "import io.github.lstm4j.examples.support.LinePlot;",
        "import java.nio.file.*;",
        "import java.util.*;",
        "@SuppressWarnings(\"unused\")",
        "class TrainingGuide {",
        "    static LSTMModel model;",
        "    static MSELoss criterion;",
        "    static Optimizer optimizer;",
        "    static StepLR scheduler;",
        "    static DataLoader trainLoader;",
        "    static DataLoader valLoader;",
        "    static History history;",
        "");

    @TempDir
    Path out;

    @Test
    void everyJavaBlockOfTheTrainingGuideCompiles() throws IOException, URISyntaxException {
        Path doc = Path.of(System.getProperty("lstm4j.projectDir", ".")).resolve("docs/training.md");
        List<List<String>> blocks = javaBlocks(Files.readAllLines(doc, StandardCharsets.UTF_8));
        assertTrue(blocks.size() >= 10, "expected the guide's java blocks, found " + blocks.size());

        StringBuilder source = new StringBuilder(HEADER);
        List<Integer> firstLine = new ArrayList<>();
        for (int b = 0; b < blocks.size(); b++) {
            source.append("    static void block").append(b + 1).append("() throws Exception {\n");
            firstLine.add((int) source.chars().filter(c -> c == '\n').count() + 1);
            for (String line : blocks.get(b)) {
                source.append("        ").append(line).append('\n');
            }
            source.append("    }\n");
        }
        source.append("}\n");

        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        assertNotNull(javac, "the tests run on a JDK, which has a compiler");
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        StringWriter output = new StringWriter();
        String text = source.toString();
        JavaFileObject file = new SimpleJavaFileObject(URI.create("string:///TrainingGuide.java"),
            JavaFileObject.Kind.SOURCE) {
            @Override
            public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                return text;
            }
        };
        boolean ok;
        try (StandardJavaFileManager files = javac.getStandardFileManager(diagnostics, Locale.ROOT,
                StandardCharsets.UTF_8)) {
            List<String> options = List.of("-classpath", classPath(), "-d", out.toString(), "-proc:none",
                "-implicit:none");
            ok = javac.getTask(output, files, diagnostics, options, null, List.of(file)).call();
        }
        StringBuilder report = new StringBuilder();
        for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
            if (d.getKind() == Diagnostic.Kind.ERROR) {
                int line = (int) d.getLineNumber();
                int block = 0;
                while (block + 1 < firstLine.size() && firstLine.get(block + 1) <= line) {
                    block++;
                }
                report.append("\n  java block ").append(block + 1).append(", line ")
                    .append(line - firstLine.get(block) + 1).append(": ").append(d.getMessage(Locale.ROOT));
            }
        }
        assertTrue(ok, "docs/training.md does not compile:" + report + output);
    }

    /** The lines of every fenced block opened with {@code ```java}. */
    private static List<List<String>> javaBlocks(List<String> lines) {
        List<List<String>> blocks = new ArrayList<>();
        List<String> current = null;
        for (String line : lines) {
            if (current == null && line.strip().equals("```java")) {
                current = new ArrayList<>();
            } else if (current != null && line.strip().equals("```")) {
                blocks.add(current);
                current = null;
            } else if (current != null) {
                current.add(line);
            }
        }
        return blocks;
    }

    /** The library, the examples and SLF4J, wherever this JVM loaded them from. */
    private static String classPath() throws URISyntaxException {
        List<String> entries = new ArrayList<>();
        for (Class<?> c : new Class<?>[] {Tensor.class, LSTMModel.class, LinePlot.class, org.slf4j.Logger.class}) {
            String entry = Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
            if (!entries.contains(entry)) {
                entries.add(entry);
            }
        }
        return String.join(File.pathSeparator, entries);
    }
}

package io.nnserve.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.xml.parsers.DocumentBuilderFactory;

import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.yaml.snakeyaml.Yaml;

/**
 * The Dockerfile and docker-compose.yml agree with the build they package (no Docker engine runs here, so these
 * are read as text): the jar the build produces, the port and health path the service really has, the JVM flag
 * the engine needs, the data directory property, a non-root user; the compose file wires PostgreSQL with a health
 * check, a named volume and the environment the service reads. {@code .ci/container-smoke} then runs the jar
 * with the Dockerfile's own commands, and {@code .ci/run} validates the compose file with docker-compose.
 */
class ContainerFilesTest {

    private static final Path ROOT = Path.of("").toAbsolutePath();

    private static String read(String file) throws IOException {
        return Files.readString(ROOT.resolve(file));
    }

    private static String pom(String tag) throws Exception {
        Document pom = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(ROOT.resolve("pom.xml").toFile());
        for (Node node = pom.getDocumentElement().getFirstChild(); node != null; node = node.getNextSibling()) {
            if (node instanceof Element element && element.getTagName().equals(tag)) {
                return element.getTextContent().trim();
            }
        }
        return null;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> yaml(String file) throws IOException {
        try (InputStream in = Files.newInputStream(ROOT.resolve(file))) {
            return new Yaml().load(in);
        }
    }

    @SuppressWarnings("unchecked")
    private static <T> T at(Map<String, Object> map, String... keys) {
        Object value = map;
        for (String key : keys) {
            value = value instanceof Map<?, ?> m ? m.get(key) : null;
        }
        return (T) value;
    }

    private static String single(String text, String regex) {
        Matcher matcher = Pattern.compile(regex, Pattern.MULTILINE).matcher(text);
        assertThat(matcher.find()).as("Dockerfile line matching " + regex).isTrue();
        String found = matcher.group(1);
        assertThat(matcher.find()).as("only one line matching " + regex).isFalse();
        return found;
    }

    @Test
    void dockerfileCopiesTheJarTheBuildProduces() throws Exception {
        String dockerfile = read("Dockerfile");
        String jar = pom("artifactId") + "-" + pom("version") + ".jar";
        assertThat(read("pom.xml")).doesNotContain("<finalName>");
        assertThat(single(dockerfile, "^COPY --from=build /build/target/(\\S+) /app/nnserve\\.jar$")).isEqualTo(jar);
        assertThat(single(dockerfile, "^ENTRYPOINT (.*)$")).contains("\"-jar\", \"/app/nnserve.jar\"");
    }

    /** The start-up archive (class-data sharing) the image records is the one its command starts with, same JVM flags. */
    @Test
    void dockerfileStartsWithTheClassDataArchiveItRecords() throws Exception {
        String dockerfile = read("Dockerfile");
        String recorded = single(dockerfile, "-XX:ArchiveClassesAtExit=(\\S+)");
        String entrypoint = single(dockerfile, "^ENTRYPOINT (.*)$");
        assertThat(entrypoint).contains("\"-XX:SharedArchiveFile=" + recorded + "\"");
        assertThat(dockerfile).contains("java -Djarmode=tools -jar /app/nnserve.jar extract");
        String recording = dockerfile.substring(dockerfile.indexOf("-Djarmode=tools"), dockerfile.indexOf("-XX:ArchiveClassesAtExit"));
        for (String flag : entrypoint.replaceAll("[\\[\\]\"]", "").split(",\\s*")) {
            if (flag.startsWith("-") && !flag.startsWith("-XX:SharedArchiveFile") && !flag.equals("-jar")) {
                assertThat(recording).as("the archive is recorded with the command's flag " + flag).contains(flag);
            }
        }
    }

    /**
     * The README's run command starts from what {@code ./mvnw package} unpacks and records (target/nnserve), and the
     * build records the archive with the same JVM flags as that command (another collector makes the JVM ignore it).
     */
    @Test
    void readmeRunsTheUnpackedJarWithTheArchiveTheBuildRecords() throws Exception {
        String pom = read("pom.xml");
        assertThat(pom).contains("<argument>nnserve</argument>").contains("<argument>nnserve.jar</argument>")
                .contains("<commandlineArgs>${service.jvm.args} \"-XX:ArchiveClassesAtExit=${project.build.directory}/nnserve/nnserve.jsa\"")
                .contains("-jar \"${project.build.directory}/nnserve/nnserve.jar\"");
        String readmeCommands = read("README.md").replaceAll("\\s*\\\\\n\\s*", " "); // continued lines joined
        assertThat(readmeCommands).contains("java --add-modules jdk.incubator.vector -XX:+UseSerialGC "
                + "-XX:SharedArchiveFile=target/nnserve/nnserve.jsa -jar target/nnserve/nnserve.jar");
        assertThat(read("Dockerfile")).contains("-Dcds.skip=true package");
    }

    @Test
    void dockerfileBuildsWithTheWrapperOnAJdkAndRunsOnAJre() throws Exception {
        String dockerfile = read("Dockerfile");
        assertThat(dockerfile).containsPattern("(?m)^FROM eclipse-temurin:17-jdk\\S* AS build$")
                .containsPattern("(?m)^FROM eclipse-temurin:17-jre\\S*$")
                .containsPattern("(?m)^RUN \\./mvnw -B .*package");
        assertThat(ROOT.resolve("mvnw")).isExecutable();
        assertThat(ROOT.resolve(".mvn/wrapper/maven-wrapper.properties")).exists();
        assertThat(read(".dockerignore")).contains("target/").contains("data/");
    }

    @Test
    void dockerfileExposesThePortAndChecksTheReadinessProbe() throws Exception {
        Map<String, Object> application = yaml("src/main/resources/application.yml");
        int port = at(application, "server", "port");
        assertThat(single(read("Dockerfile"), "^EXPOSE (\\d+)$")).isEqualTo(Integer.toString(port));
        String health = single(read("Dockerfile"), "^\\s+CMD (.*)$");
        assertThat(health).contains("http://127.0.0.1:" + port + "/actuator/health/readiness").startsWith("wget ");
        assertThat((Boolean) at(application, "management", "endpoint", "health", "probes", "enabled")).isTrue();
        assertThat((String) at(application, "management", "endpoints", "web", "exposure", "include"))
                .isEqualTo("health,info,prometheus");
        assertThat((String) at(application, "management", "endpoint", "health", "group", "readiness", "include"))
                .contains("db");
    }

    @Test
    void dockerfileRunsAsANonRootUserWithTheDataVolumeAndContainerFlags() throws Exception {
        String dockerfile = read("Dockerfile");
        String user = single(dockerfile, "^USER (\\S+)$");
        assertThat(user).doesNotStartWith("root").doesNotStartWith("0");
        assertThat(dockerfile).contains("useradd --system").contains("chown nnserve:nnserve /data");
        assertThat(single(dockerfile, "^VOLUME (\\S+)$")).isEqualTo("/data");
        assertThat(single(dockerfile, "^ENV NNSERVE_STORAGE_DATA_DIR=(\\S+)$")).isEqualTo("/data");
        assertThat(read("src/main/resources/application.yml")).contains("${nnserve.storage.data-dir");
        assertThat(single(dockerfile, "^ENV JAVA_TOOL_OPTIONS=\"(.*)\"$")).contains("-XX:MaxRAMPercentage=75");
        // The same incubator module the build gives the tests and spring-boot:run.
        assertThat(read("pom.xml")).contains("<vector.jvm.args>--add-modules jdk.incubator.vector</vector.jvm.args>");
        assertThat(single(dockerfile, "^ENTRYPOINT (.*)$")).contains("\"--add-modules\", \"jdk.incubator.vector\"");
        // The collector the README recommends (resident memory), in the image and in spring-boot:run alike.
        assertThat(single(dockerfile, "^ENTRYPOINT (.*)$")).contains("\"-XX:+UseSerialGC\"");
        assertThat(read("pom.xml")).contains("<service.jvm.args>${vector.jvm.args} -XX:+UseSerialGC</service.jvm.args>")
                .contains("<jvmArguments>${service.jvm.args}</jvmArguments>");
        assertThat(read("README.md")).contains("java --add-modules jdk.incubator.vector -XX:+UseSerialGC -jar");
    }

    @Test
    void composeWiresPostgresByEnvironment() throws Exception {
        Map<String, Object> compose = yaml("docker-compose.yml");
        assertThat(compose).doesNotContainKey("name");
        Map<String, Object> postgres = at(compose, "services", "postgres");
        Map<String, Object> nnserve = at(compose, "services", "nnserve");
        assertThat((String) postgres.get("image")).isEqualTo("postgres:17");
        assertThat(at(postgres, "healthcheck", "test").toString()).contains("pg_isready");
        assertThat((List<String>) postgres.get("volumes")).anySatisfy(v -> assertThat(v)
                .startsWith("postgres-data:/var/lib/postgresql/data"));
        Map<String, Object> volumes = at(compose, "volumes");
        assertThat(volumes).containsKeys("postgres-data", "nnserve-data");

        assertThat(nnserve.get("build")).isEqualTo(".");
        Map<String, Object> dependsOn = at(nnserve, "depends_on", "postgres");
        assertThat(dependsOn).containsEntry("condition", "service_healthy").doesNotContainKey("required");
        Map<String, Object> environment = at(nnserve, "environment");
        assertThat(environment).containsKeys("SPRING_DATASOURCE_URL", "SPRING_DATASOURCE_USERNAME",
                "SPRING_DATASOURCE_PASSWORD", "NNSERVE_SECURITY_API_KEYS");
        assertThat((String) environment.get("SPRING_DATASOURCE_URL")).startsWith("jdbc:postgresql://postgres:5432/");
        String profile = (String) environment.get("SPRING_PROFILES_ACTIVE");
        assertThat(ROOT.resolve("src/main/resources/application-" + profile + ".yml")).exists();
        assertThat((List<String>) nnserve.get("ports")).containsExactly("8080:8080");
        assertThat((List<String>) nnserve.get("volumes")).containsExactly("nnserve-data:/data");
        assertThat(read("docker-compose.yml")).contains("# nnserve-2:");
    }

    @Test
    void ciValidatesTheComposeFileAndRunsTheImageCommand() throws Exception {
        String ci = read(".ci/run");
        assertThat(ci).contains("apt-get install -y --no-install-recommends docker-compose")
                .contains("docker-compose config --quiet").contains(".ci/container-smoke");
        assertThat(ROOT.resolve(".ci/container-smoke")).isExecutable();
    }
}

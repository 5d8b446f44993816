package dev.fusebox.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * Keeps the build as CONTRIBUTING's "Adding a module" says it is: every module of the reactor is either
 * published, and then listed in {@code fusebox-bom}, or marked {@code fusebox.publish.skip}, never both and
 * never neither; and every module has a name and a description, which Maven Central shows.
 */
class BuildLayoutTest {

  private static final Path ROOT = Path.of("..");
  /** The modules whose POM is the build's frame rather than an artifact of its own. */
  private static final Set<String> FRAME = Set.of("fusebox-bom");

  @Test
  void theBomListsExactlyThePublishedModules() throws Exception {
    Set<String> published = new TreeSet<>();
    Set<String> unpublished = new TreeSet<>();
    for (String module : modules()) {
      Element pom = pom(ROOT.resolve(module).resolve("pom.xml"));
      String artifactId = child(pom, "artifactId");
      if (FRAME.contains(artifactId)) {
        continue;
      }
      Element properties = childElement(pom, "properties");
      String skip = properties == null ? null : child(properties, "fusebox.publish.skip");
      (("true".equals(skip)) ? unpublished : published).add(artifactId);
    }

    Element bom = pom(ROOT.resolve("fusebox-bom/pom.xml"));
    Set<String> managed = new TreeSet<>();
    NodeList dependencies = childElement(childElement(bom, "dependencyManagement"), "dependencies").getChildNodes();
    for (int i = 0; i < dependencies.getLength(); i++) {
      if (dependencies.item(i) instanceof Element dependency) {
        assertThat(child(dependency, "groupId")).isEqualTo("dev.fusebox");
        assertThat(child(dependency, "version")).isEqualTo("${project.version}");
        managed.add(child(dependency, "artifactId"));
      }
    }

    assertThat(managed).as("the modules fusebox-bom manages").isEqualTo(published);
    assertThat(unpublished).as("modules marked fusebox.publish.skip").doesNotContainAnyElementsOf(managed)
        .contains("fusebox-demo", "fusebox-benchmarks", "fusebox-docs", "fusebox-test-support");
  }

  @Test
  void everyModuleHasANameAndADescription() throws Exception {
    List<String> all = new ArrayList<>(modules());
    all.add(".");
    for (String module : all) {
      Element pom = pom(ROOT.resolve(module).resolve("pom.xml"));
      assertThat(child(pom, "name")).as("name of %s", module).isNotBlank();
      assertThat(child(pom, "description")).as("description of %s", module).isNotBlank();
    }
  }

  private static List<String> modules() throws Exception {
    List<String> modules = new ArrayList<>();
    NodeList list = childElement(pom(ROOT.resolve("pom.xml")), "modules").getElementsByTagName("module");
    for (int i = 0; i < list.getLength(); i++) {
      modules.add(list.item(i).getTextContent().strip());
    }
    assertThat(modules).isNotEmpty();
    return modules;
  }

  private static Element pom(Path file) throws Exception {
    assertThat(file).exists();
    DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
    factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
    Document document = factory.newDocumentBuilder().parse(Files.newInputStream(file));
    return document.getDocumentElement();
  }

  /** The first direct child element of that name, or null: not a descendant, as a parent's would be. */
  private static Element childElement(Element parent, String name) {
    for (Node node = parent.getFirstChild(); node != null; node = node.getNextSibling()) {
      if (node instanceof Element element && element.getTagName().equals(name)) {
        return element;
      }
    }
    return null;
  }

  private static String child(Element parent, String name) {
    Element element = childElement(parent, name);
    return element == null ? null : element.getTextContent().strip();
  }
}

package io.pgsearch.connect.convergence;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * The command line of {@code ./check-convergence.sh}: prints the report and exits 0 when the index
 * holds exactly the table's rows, 1 when it differs, 2 on bad arguments or a failure to read either
 * side.
 */
public final class CheckConvergence {
  static final String USAGE =
      String.join(
          "\n",
          "Usage: ./check-convergence.sh --jdbc-url URL --table SCHEMA.TABLE --es-url URL",
          "         [--index INDEX] [--where SQL] [--jdbc-user USER] [--jdbc-password-file FILE]",
          "         [--es-user USER] [--es-password-file FILE] [--ca PEM_FILE]",
          "         [--key-columns A,B] [--columns A,B,C] [--examples N] [--no-refresh]",
          "       ./check-convergence.sh --jdbc-url URL --document NAME --source-config FILE",
          "         --es-url URL [--index INDEX] [the connection and --examples options above]",
          "",
          "  --jdbc-url            jdbc:postgresql://host:port/db (a password may also come from",
          "                        PGPASSWORD)",
          "  --table               the table; --index defaults to its name without the schema",
          "  --document            a document of related tables (document.NAME of the source",
          "                        connector's config): each root rebuilt from PostgreSQL as the",
          "                        connector builds it; --index defaults to NAME",
          "  --source-config       the source connector's config as POSTed to Connect (JSON, with",
          "                        or without the \"config\" wrapper); --jdbc-url, --jdbc-user and",
          "                        the password replace its database.* settings",
          "  --where               only rows matching this SQL condition are expected in the index",
          "                        (the source connector's row filter)",
          "  --key-columns         the columns the document id is made of (default: primary key)",
          "  --columns             the columns to compare (default: all)",
          "  --examples            how many ids of each kind of difference to print (default 10)",
          "  --no-refresh          do not refresh the index before reading it",
          "",
          "Exit status: 0 converged, 1 differences found, 2 bad arguments or an error.");

  private static final Set<String> FLAGS = Set.of("--no-refresh");
  private static final Set<String> OPTIONS =
      Set.of(
          "--jdbc-url",
          "--jdbc-user",
          "--jdbc-password-file",
          "--table",
          "--document",
          "--source-config",
          "--index",
          "--where",
          "--es-url",
          "--es-user",
          "--es-password-file",
          "--ca",
          "--key-columns",
          "--columns",
          "--examples");

  private CheckConvergence() {}

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  /** Runs the check; returns the exit status. */
  static int run(String[] args, PrintStream out, PrintStream err) {
    Map<String, String> options;
    TableCheck tableCheck = null;
    DocumentCheck documentCheck = null;
    try {
      options = parse(args);
      if (options.containsKey("--help")) {
        out.println(USAGE);
        return 0;
      }
      if (options.containsKey("--document")) {
        documentCheck = documentCheck(options);
      } else {
        tableCheck = tableCheck(options);
      }
    } catch (IllegalArgumentException e) {
      err.println("check-convergence: " + e.getMessage());
      err.println(USAGE);
      return 2;
    }
    try (ConvergenceChecker checker =
        new ConvergenceChecker(
            connect(options),
            ConvergenceChecker.elasticsearchClient(
                required(options, "--es-url"),
                options.get("--es-user"),
                secret(options.get("--es-password-file")),
                options.containsKey("--ca") ? read(options.get("--ca")) : null),
            !options.containsKey("--no-refresh"))) {
      ConvergenceReport report =
          tableCheck != null ? checker.check(tableCheck) : checker.check(documentCheck);
      out.print(report.format());
      return report.converged() ? 0 : 1;
    } catch (Exception e) {
      err.println("check-convergence: " + e.getMessage());
      return 2;
    }
  }

  static Map<String, String> parse(String[] args) {
    Map<String, String> options = new HashMap<>();
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (arg.equals("-h") || arg.equals("--help")) {
        options.put("--help", "");
      } else if (FLAGS.contains(arg)) {
        options.put(arg, "");
      } else if (OPTIONS.contains(arg)) {
        if (i + 1 >= args.length) {
          throw new IllegalArgumentException(arg + " needs a value");
        }
        options.put(arg, args[++i]);
      } else {
        throw new IllegalArgumentException("unknown argument " + arg);
      }
    }
    return options;
  }

  static TableCheck tableCheck(Map<String, String> options) {
    required(options, "--jdbc-url");
    required(options, "--es-url");
    String table = required(options, "--table");
    String index = options.getOrDefault("--index", table.substring(table.lastIndexOf('.') + 1));
    TableCheck check =
        TableCheck.of(table, index)
            .where(options.get("--where"))
            .keyColumns(list(options.get("--key-columns")))
            .columns(list(options.get("--columns")));
    if (options.containsKey("--examples")) {
      check = check.examples(examples(options));
    }
    return check;
  }

  private static int examples(Map<String, String> options) {
    try {
      return Integer.parseInt(options.get("--examples"));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "--examples must be a number, not " + options.get("--examples"));
    }
  }

  static DocumentCheck documentCheck(Map<String, String> options) {
    String jdbcUrl = required(options, "--jdbc-url");
    required(options, "--es-url");
    if (options.containsKey("--table")) {
      throw new IllegalArgumentException("give --table or --document, not both");
    }
    for (String tableOnly : List.of("--where", "--key-columns", "--columns")) {
      if (options.containsKey(tableOnly)) {
        throw new IllegalArgumentException(
            tableOnly + " is for --table; a document's definition says what it holds");
      }
    }
    String document = required(options, "--document");
    Map<String, String> config =
        SourceConfigFile.read(Path.of(required(options, "--source-config")));
    config.putAll(SourceConfigFile.connection(jdbcUrl));
    if (options.containsKey("--jdbc-user")) {
      config.put("database.user", options.get("--jdbc-user"));
    }
    String password = jdbcPassword(options);
    if (password != null) {
      config.put("database.password", password);
    }
    DocumentCheck check =
        DocumentCheck.of(document, config).index(options.getOrDefault("--index", document));
    return options.containsKey("--examples") ? check.examples(examples(options)) : check;
  }

  private static Connection connect(Map<String, String> options) throws SQLException {
    Properties properties = new Properties();
    if (options.containsKey("--jdbc-user")) {
      properties.setProperty("user", options.get("--jdbc-user"));
    }
    String password = jdbcPassword(options);
    if (password != null) {
      properties.setProperty("password", password);
    }
    return DriverManager.getConnection(options.get("--jdbc-url"), properties);
  }

  /** From --jdbc-password-file, else PGPASSWORD; null for none. */
  private static String jdbcPassword(Map<String, String> options) {
    String password = secret(options.get("--jdbc-password-file"));
    return password != null ? password : System.getenv("PGPASSWORD");
  }

  private static List<String> list(String value) {
    if (value == null || value.isBlank()) {
      return List.of();
    }
    return Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
  }

  private static String required(Map<String, String> options, String name) {
    String value = options.get(name);
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(name + " is required");
    }
    return value;
  }

  private static String secret(String file) {
    return file == null ? null : read(file).strip();
  }

  private static String read(String file) {
    try {
      return Files.readString(Path.of(file), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage());
    }
  }
}

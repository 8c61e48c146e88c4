"""Read YAML (alone or as front matter above a Markdown body) and remember each field's line.

Content files come from many hands, so the YAML is read defensively: anchors and aliases (the
"billion laughs" bomb), duplicate keys (the last silently wins) and deep nesting are refused
before anything is built, and a value YAML cannot turn into Python (a 30 February) is an error
naming its line, never a traceback.
"""

from dataclasses import dataclass

import yaml

FENCE = "---"
#: Deeper than any content file needs; keeps the composer's recursion far from Python's limit.
MAX_NESTING = 20
#: libyaml's loader when PyYAML was built with it (the wheels are), else the pure-Python one.
BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class SafeLoader(BaseLoader):
    """The safe loader, with dates YAML cannot represent reported on their line."""

    def construct_yaml_timestamp(self, node):
        try:
            return super().construct_yaml_timestamp(node)
        except (ValueError, OverflowError) as exc:
            raise yaml.constructor.ConstructorError(
                None, None, f"'{node.value}' is not a real date ({exc})", node.start_mark
            ) from None


SafeLoader.add_constructor("tag:yaml.org,2002:timestamp", SafeLoader.construct_yaml_timestamp)


class ContentError(Exception):
    """A problem in one content file, located by line and field where possible."""

    def __init__(self, path, message, line=None, field=None):
        self.path, self.message, self.line, self.field = path, message, line, field
        where = str(path) + (f", line {line}" if line else "") + (f" ({field})" if field else "")
        super().__init__(f"{where}: {message}")


@dataclass
class ParsedFile:
    """A content file's fields, body and the line each field starts on."""

    path: object
    data: dict
    body: str
    lines: dict
    text: str = ""

    def line_containing(self, needle):
        """Return the first line of the file that contains the text, if any."""
        index = self.text.find(needle)
        return self.text.count("\n", 0, index) + 1 if index >= 0 else None

    def line_of(self, field):
        """Return the line of a field such as 'citations[0].quote', or of its nearest parent."""
        while field:
            if field in self.lines:
                return self.lines[field]
            field = field.rpartition(".")[0] if "." in field else field.rpartition("[")[0]
        return None

    def error(self, message, field=None):
        return ContentError(self.path, message, line=self.line_of(field), field=field)


def parse_yaml_file(path, text):
    """Parse a whole-YAML file such as a claim."""
    data, lines = _load(path, text, first_line=1)
    return ParsedFile(path, data, "", lines, text)


def parse_front_matter_file(path, text):
    """Parse a Markdown file with YAML front matter between two '---' lines."""
    if not text.startswith(FENCE + "\n"):
        raise ContentError(path, "the file must start with a line '---' that opens the front matter", line=1)
    end = text.find("\n" + FENCE + "\n", len(FENCE))
    if end == -1:
        raise ContentError(path, "the front matter is not closed by a line '---'", line=1)
    data, lines = _load(path, text[len(FENCE) + 1 : end + 1], first_line=2)
    return ParsedFile(path, data, text[end + len(FENCE) + 2 :], lines, text)


def _load(path, text, first_line):
    _check_events(path, text, first_line)
    loader = SafeLoader(text)
    lines = {}
    try:
        node = loader.get_single_node()
        _record_lines(path, node, "", lines, first_line)
        data = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as exc:
        raise _located(path, exc, first_line, lines) from None
    except yaml.YAMLError as exc:
        raise ContentError(path, f"malformed front matter: {exc}", line=first_line) from None
    finally:
        loader.dispose()
    if not isinstance(data, dict):
        raise ContentError(path, "expected 'field: value' lines", line=first_line)
    return data, lines


def _check_events(path, text, first_line):
    """Refuse anchors, aliases and deep nesting while streaming events, before any node is built."""
    loader = SafeLoader(text)
    depth = 0
    try:
        while (event := loader.get_event()) is not None:
            line = first_line + event.start_mark.line
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
                raise ContentError(
                    path, "YAML anchors and aliases (& and *) are not allowed; write the value out", line
                )
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_NESTING:
                    raise ContentError(path, f"nested more than {MAX_NESTING} levels deep", line)
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    except yaml.MarkedYAMLError as exc:
        raise _located(path, exc, first_line) from None
    except yaml.YAMLError as exc:
        raise ContentError(path, f"malformed front matter: {exc}", line=first_line) from None
    finally:
        loader.dispose()


def _located(path, exc, first_line, lines=None):
    mark = exc.problem_mark or exc.context_mark
    line = first_line + mark.line if mark else first_line
    field = next((name for name, at in reversed((lines or {}).items()) if at == line), None)
    return ContentError(path, f"malformed front matter: {exc.problem or exc.context}", line=line, field=field)


def _record_lines(path, node, prefix, lines, first_line):
    if isinstance(node, yaml.MappingNode):
        seen = {}
        for key, value in node.value:
            line = first_line + key.start_mark.line
            if isinstance(key, yaml.ScalarNode):
                if key.value in seen:
                    field = f"{prefix}.{key.value}" if prefix else key.value
                    message = f"'{key.value}' is given twice (also on line {seen[key.value]}); keep one"
                    raise ContentError(path, message, line=line, field=field)
                seen[key.value] = line
            name = f"{prefix}.{key.value}" if prefix else str(key.value)
            lines[name] = line
            _record_lines(path, value, name, lines, first_line)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            name = f"{prefix}[{index}]"
            lines[name] = first_line + item.start_mark.line
            _record_lines(path, item, name, lines, first_line)

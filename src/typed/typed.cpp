// What the typed layer does that does not depend on the types: the checks and messages of
// the rules, the reader's objects and documents, the nlohmann parser behind the errors'
// "input", and the JSON Schema written from the types' descriptors. Compiled once into
// libvial, not in every file that reads a typed body or describes an API.
#include <vial/typed/detail/validate.hpp>
#include <vial/typed/json_reader.hpp>
#include <vial/typed/schema.hpp>

#include <nlohmann/json.hpp>

#include <cstring>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace vial::detail {

nlohmann::json literal_json(const literal& v) {
    switch (v.type) {
    case literal::kind::boolean: return v.b;
    case literal::kind::signed_integer: return v.i;
    case literal::kind::unsigned_integer: return v.u;
    case literal::kind::floating: return v.d;
    case literal::kind::string: return std::string(v.s);
    default: return nullptr;
    }
}

std::string literal_repr(const literal& v) {
    if (v.type == literal::kind::string) return single_quoted(v.s);
    if (v.type == literal::kind::boolean) return v.b ? "True" : "False";
    return literal_json(v).dump();
}

std::string number_text(const literal& v) { return literal_json(v).dump(); }

void check_number(error_sink& sink, const field_rules& r, const literal& x, const nlohmann::json& input) {
    if (r.minimum.set() && compare_numbers(x, r.minimum) < 0)
        sink.add("greater_than_equal", "Input should be greater than or equal to " + number_text(r.minimum), input,
                 {{"ge", literal_json(r.minimum)}});
    if (r.exclusive_minimum.set() && compare_numbers(x, r.exclusive_minimum) <= 0)
        sink.add("greater_than", "Input should be greater than " + number_text(r.exclusive_minimum), input,
                 {{"gt", literal_json(r.exclusive_minimum)}});
    if (r.maximum.set() && compare_numbers(x, r.maximum) > 0)
        sink.add("less_than_equal", "Input should be less than or equal to " + number_text(r.maximum), input,
                 {{"le", literal_json(r.maximum)}});
    if (r.exclusive_maximum.set() && compare_numbers(x, r.exclusive_maximum) >= 0)
        sink.add("less_than", "Input should be less than " + number_text(r.exclusive_maximum), input,
                 {{"lt", literal_json(r.exclusive_maximum)}});
    if (r.one_of_count != 0) {
        bool found = false;
        for (std::size_t i = 0; i < r.one_of_count; ++i) found = found || compare_numbers(x, r.one_of[i]) == 0;
        if (!found) {
            const std::string e = expected_list(r.one_of_count, [&](std::size_t i) { return literal_repr(r.one_of[i]); });
            sink.add("literal_error", "Input should be " + e, input, {{"expected", e}});
        }
    }
}

void check_length(error_sink& sink, const field_rules& r, std::size_t n, const char* field_type,
                         const nlohmann::json& input) {
    const bool is_string = std::string_view(field_type) == "String";
    auto plural = [](std::size_t k, const char* one, const char* many) { return k == 1 ? std::string(one) : std::string(many); };
    if (r.has_min_length && n < r.min_length) {
        if (is_string)
            sink.add("string_too_short",
                     "String should have at least " + std::to_string(r.min_length) + plural(r.min_length, " character", " characters"),
                     input, {{"min_length", r.min_length}});
        else
            sink.add("too_short",
                     std::string(field_type) + " should have at least " + std::to_string(r.min_length) +
                         plural(r.min_length, " item", " items") + " after validation, not " + std::to_string(n),
                     input, {{"field_type", field_type}, {"min_length", r.min_length}, {"actual_length", n}});
    }
    if (r.has_max_length && n > r.max_length) {
        if (is_string)
            sink.add("string_too_long",
                     "String should have at most " + std::to_string(r.max_length) + plural(r.max_length, " character", " characters"),
                     input, {{"max_length", r.max_length}});
        else
            sink.add("too_long",
                     std::string(field_type) + " should have at most " + std::to_string(r.max_length) +
                         plural(r.max_length, " item", " items") + " after validation, not " + std::to_string(n),
                     input, {{"field_type", field_type}, {"max_length", r.max_length}, {"actual_length", n}});
    }
}

void check_string(error_sink& sink, const field_rules& r, const std::string& s) {
    if (r.has_min_length || r.has_max_length) check_length(sink, r, utf8_length(s), "String", s);
    if (r.one_of_count != 0) {
        bool found = false;
        for (std::size_t i = 0; i < r.one_of_count; ++i) found = found || r.one_of[i].s == s;
        if (!found) {
            const std::string e = expected_list(r.one_of_count, [&](std::size_t i) { return literal_repr(r.one_of[i]); });
            sink.add("literal_error", "Input should be " + e, s, {{"expected", e}});
        }
    }
}

void type_error_of(error_sink& sink, type_kind k, nlohmann::json input) {
    switch (k) {
    case type_kind::boolean: sink.add("bool_type", "Input should be a valid boolean", std::move(input)); break;
    case type_kind::integer: sink.add("int_type", "Input should be a valid integer", std::move(input)); break;
    case type_kind::floating: sink.add("float_type", "Input should be a valid number", std::move(input)); break;
    case type_kind::string: sink.add("string_type", "Input should be a valid string", std::move(input)); break;
    case type_kind::uuid:
        sink.add("uuid_type", "UUID input should be a string, bytes or UUID object", std::move(input));
        break;
    case type_kind::vector: sink.add("list_type", "Input should be a valid list", std::move(input)); break;
    case type_kind::map: sink.add("dict_type", "Input should be a valid dictionary", std::move(input)); break;
    case type_kind::structure:
        sink.add("model_attributes_type", "Input should be a valid dictionary or object to extract fields from",
                 std::move(input));
        break;
    default: break;
    }
}

long decimal_magnitude(const json_number& n) noexcept {
    const char* q = n.begin + (n.negative ? 1 : 0);
    long digits = 0;
    bool leading = true;  // leading zeros of "0.000..." count negatively
    while (q != n.end && json_cursor::digit(*q)) {
        if (!(leading && *q == '0')) {
            leading = false;
            ++digits;
        }
        ++q;
    }
    if (q != n.end && *q == '.') {
        ++q;
        while (leading && q != n.end && *q == '0') {
            --digits;
            ++q;
        }
        while (q != n.end && json_cursor::digit(*q)) ++q;
    }
    long exponent = 0;
    if (q != n.end && (*q == 'e' || *q == 'E')) {
        ++q;
        const bool minus = q != n.end && *q == '-';
        if (q != n.end && (*q == '+' || *q == '-')) ++q;
        while (q != n.end && json_cursor::digit(*q)) {
            if (exponent < 1000000) exponent = exponent * 10 + (*q - '0');
            ++q;
        }
        if (minus) exponent = -exponent;
    }
    return digits + exponent;
}

std::size_t find_member(const member_reader* members, std::size_t count, std::string_view key) noexcept {
    for (std::size_t i = 0; i < count; ++i)
        if (members[i].name.size() == key.size() && std::memcmp(members[i].name.data(), key.data(), key.size()) == 0)
            return i;
    return count;
}

void finish_struct(error_sink& sink, void* out, const member_reader* members, std::size_t count,
                          const bool* seen, const char* obj_begin, const char* obj_end) {
    nlohmann::json whole;
    bool whole_made = false;
    for (std::size_t i = 0; i < count; ++i) {
        if (seen[i]) continue;
        const member_reader& m = members[i];
        if (m.absent != nullptr) {
            m.absent(m.address(out), m.rules);
            continue;
        }
        if (!whole_made) {
            whole = json_reader::input_of(obj_begin, obj_end);
            whole_made = true;
        }
        sink.push(m.name);
        sink.add("missing", "Field required", whole);
        sink.pop();
    }
}

void read_object(json_reader& r, void* out, const member_reader* members, std::size_t n, bool forbid_extra) {
    json_cursor& c = r.c;
    const char* obj_begin = c.pos();
    constexpr std::size_t inline_members = 64;
    bool inline_seen[inline_members] = {};
    std::unique_ptr<bool[]> big;
    bool* seen = inline_seen;
    if (n > inline_members) {
        big = std::make_unique<bool[]>(n);
        seen = big.get();
    }
    c.enter();
    c.ws();
    if (c.peek() != '}') {
        for (;;) {
            if (c.peek() != '"') c.fail(c.pos(), "expected a string key");
            const std::string_view key = c.key(r.scratch);
            const std::size_t i = find_member(members, n, key);
            c.ws();
            c.expect(':', "expected ':'");
            if (i < n) {
                const member_reader& m = members[i];
                r.sink.push(m.name);
                m.read(r, m.address(out), m.rules);
                r.sink.pop();
                seen[i] = true;
            } else if (forbid_extra) {
                const std::string name(key);
                c.ws();
                const char* b = c.pos();
                c.skip_value();
                r.sink.push(std::string_view(name));
                r.sink.add("extra_forbidden", "Extra inputs are not permitted", json_reader::input_of(b, c.pos()));
                r.sink.pop();
            } else {
                c.skip_value();
            }
            if (!c.more_members()) break;
        }
    }
    c.leave();
    finish_struct(r.sink, out, members, n, seen, obj_begin, c.pos());
}

void read_document(std::string_view bytes, const loc& prefix, void* out, void (*read)(json_reader&, void*),
                          std::vector<error_detail>& errors, std::optional<malformed_json>& malformed) {
    json_reader r{json_cursor(bytes), error_sink{&prefix, {}, &errors}, {}};
    try {
        r.c.ws();
        if (r.c.at_end()) r.c.fail(r.c.pos(), "empty document: expected a value");
        read(r, out);
        r.c.ws();
        if (!r.c.at_end()) r.c.fail(r.c.pos(), "unexpected data after the value");
    } catch (const syntax_failure& f) {
        std::size_t line = 0;
        std::size_t column = 0;
        line_column(bytes, f.offset, line, column);
        malformed.emplace(f.reason, f.offset, line, column);
        errors.clear();
    }
}

nlohmann::json json_reader::input_of(const char* b, const char* e) {
    auto j = nlohmann::json::parse(b, e, nullptr, false);
    if (j.is_discarded()) return std::string(b, e);
    return j;
}

bool json_reader::parse_value(const char* b, const char* e, nlohmann::json& out) {
    out = nlohmann::json::parse(b, e, nullptr, false);
    return !out.is_discarded();
}

}  // namespace vial::detail

namespace vial {

nlohmann::json schema_registry::schema_for(const detail::type_desc& d) {
    using detail::type_kind;
    switch (d.kind) {
    case type_kind::boolean: return object_with("type", "boolean");
    case type_kind::integer: {
        nlohmann::json s = object_with("type", "integer");
        // int32/int64 say their range with "format"; other widths with bounds.
        if (d.size < 4 || (!d.is_signed && d.size == 4)) {
            s["minimum"] = detail::literal_json(d.lowest);
            s["maximum"] = detail::literal_json(d.highest);
        } else if (!d.is_signed) {
            s["minimum"] = 0;
        }
        if (d.is_signed && d.size == 4) s["format"] = "int32";
        if (d.is_signed && d.size == 8) s["format"] = "int64";
        return s;
    }
    case type_kind::floating: {
        nlohmann::json s = object_with("type", "number");
        s["format"] = d.size == sizeof(float) ? "float" : "double";
        return s;
    }
    case type_kind::string: return object_with("type", "string");
    case type_kind::uuid: {
        nlohmann::json s = object_with("type", "string");
        s["format"] = "uuid";
        return s;
    }
    case type_kind::file: {
        nlohmann::json s = object_with("type", "string");
        s["format"] = "binary";
        return s;
    }
    case type_kind::optional: return nullable(schema_for(*d.item));
    case type_kind::vector: {
        nlohmann::json s = object_with("type", "array");
        s["items"] = schema_for(*d.item);
        return s;
    }
    case type_kind::map: {
        nlohmann::json s = object_with("type", "object");
        s["additionalProperties"] = schema_for(*d.item);
        return s;
    }
    case type_kind::enumeration:
        if (claim(d)) {
            nlohmann::json values = nlohmann::json::array();
            for (std::size_t i = 0; i < d.enum_count; ++i) values.push_back(std::string(d.enums[i].name));
            nlohmann::json s = object_with("type", "string");
            s["enum"] = std::move(values);
            s["title"] = std::string(d.name);
            schemas_[std::string(d.name)] = std::move(s);
        }
        return ref(d);
    case type_kind::structure:
        if (claim(d)) {
            const std::string name(d.name);
            schemas_[name] = nlohmann::json::object();  // present while members refer back to it
            schemas_[name] = describe_struct(d);
        }
        return ref(d);
    default: return nlohmann::json::object();  // nlohmann::json: any value
    }
}

nlohmann::json schema_registry::object_with(const char* key, const char* value) {
    nlohmann::json s = nlohmann::json::object();
    s[key] = value;
    return s;
}

nlohmann::json schema_registry::nullable(nlohmann::json value) {
    nlohmann::json any_of = nlohmann::json::array();
    any_of.push_back(std::move(value));
    any_of.push_back(object_with("type", "null"));
    nlohmann::json s = nlohmann::json::object();
    s["anyOf"] = std::move(any_of);
    return s;
}

nlohmann::json schema_registry::ref(const detail::type_desc& d) const {
    nlohmann::json s = nlohmann::json::object();
    s["$ref"] = prefix_ + std::string(d.name);
    return s;
}

bool schema_registry::claim(const detail::type_desc& d) {
    const std::string name(d.name);
    const auto [it, added] = owners_.emplace(name, d.tag);
    if (!added && it->second != d.tag)
        throw std::logic_error("vial: two different types have the schema name \"" + name +
                               "\": give one of them vial::schema_name(\"...\") in its rules");
    return added;
}

void schema_registry::add_value_rules(nlohmann::json& s, const field_rules& r, const detail::type_desc& v) {
    // A rule tighter than the integer type's own range replaces it; a looser one does not.
    if (r.minimum.set() && (!s.contains("minimum") || s["minimum"].get<double>() < r.minimum.as_double()))
        s["minimum"] = detail::literal_json(r.minimum);
    if (r.maximum.set() && (!s.contains("maximum") || s["maximum"].get<double>() > r.maximum.as_double()))
        s["maximum"] = detail::literal_json(r.maximum);
    if (r.exclusive_minimum.set()) s["exclusiveMinimum"] = detail::literal_json(r.exclusive_minimum);
    if (r.exclusive_maximum.set()) s["exclusiveMaximum"] = detail::literal_json(r.exclusive_maximum);
    const detail::type_kind k = v.kind;
    const char* lo = k == detail::type_kind::string ? "minLength" : k == detail::type_kind::vector ? "minItems" : "minProperties";
    const char* hi = k == detail::type_kind::string ? "maxLength" : k == detail::type_kind::vector ? "maxItems" : "maxProperties";
    if (r.has_min_length) s[lo] = r.min_length;
    if (r.has_max_length) s[hi] = r.max_length;
    if (r.one_of_count != 0) {
        const bool is_enum = k == detail::type_kind::enumeration;
        nlohmann::json e = nlohmann::json::array();
        for (std::size_t i = 0; i < r.one_of_count; ++i) {
            if (is_enum) e.push_back(std::string(detail::enum_name(v, r.one_of[i].i)));
            else e.push_back(detail::literal_json(r.one_of[i]));
        }
        if (is_enum) {
            s = object_with("type", "string");
            s["enum"] = std::move(e);
        } else {
            s["enum"] = std::move(e);
        }
    }
}

nlohmann::json schema_registry::literal_value(const literal& v, const detail::member_desc& m, const detail::type_desc& value) {
    if (!v.set()) return m.initial != nullptr ? m.initial() : nlohmann::json(nullptr);
    if (value.kind == detail::type_kind::enumeration) return std::string(detail::enum_name(value, v.i));
    return detail::literal_json(v);
}

nlohmann::json schema_registry::member_schema(const detail::member_desc& m) {
    if (m.rules == nullptr) return schema_for(*m.type);
    const field_rules& r = *m.rules;
    const bool optional = m.type->kind == detail::type_kind::optional;
    const detail::type_desc& v = optional ? *m.type->item : *m.type;
    nlohmann::json value = schema_for(v);
    add_value_rules(value, r, v);
    nlohmann::json s = optional ? nullable(std::move(value)) : std::move(value);
    if (!r.description.empty()) s["description"] = std::string(r.description);
    if (r.has_default) s["default"] = literal_value(r.default_value, m, v);
    if (r.examples_count != 0) {
        nlohmann::json e = nlohmann::json::array();
        for (std::size_t i = 0; i < r.examples_count; ++i) e.push_back(literal_value(r.examples[i], m, v));
        s["examples"] = std::move(e);
    }
    if (r.deprecated) s["deprecated"] = true;
    return s;
}

nlohmann::json schema_registry::describe_struct(const detail::type_desc& d) {
    nlohmann::json s = object_with("type", "object");
    s["title"] = std::string(d.title.empty() ? d.name : d.title);
    if (!d.description.empty()) s["description"] = std::string(d.description);
    nlohmann::json properties = nlohmann::json::object();
    nlohmann::json required = nlohmann::json::array();
    for (std::size_t i = 0; i < d.member_count; ++i) {
        const detail::member_desc& m = d.members[i];
        const std::string name(m.name);
        properties[name] = member_schema(m);
        const bool has_default = m.rules != nullptr && m.rules->has_default;
        if (!has_default && m.type->kind != detail::type_kind::optional) required.push_back(name);
    }
    s["properties"] = std::move(properties);
    if (!required.empty()) s["required"] = std::move(required);
    if (d.forbid_extra) s["additionalProperties"] = false;
    return s;
}

}  // namespace vial

// vial::form_input<T>'s part that does not depend on T: the text typed into each field and
// each field's messages, gathered from the form and the reader's errors. Compiled once into
// libvial, not in every page that takes a form.
#include <vial/typed/form_input.hpp>

#include <cstddef>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace vial::detail {

void append_field_message(std::string& to, std::string_view message) {
    if (!to.empty()) to += "; ";
    to += message;
}

void gather_form_input(const multi_dict& form, const std::vector<error_detail>& details, const form_layout& layout,
                       std::span<std::string> input, std::span<std::string> errors,
                       std::vector<std::string>& form_errors) {
    const std::size_t n = layout.names.size();
    std::vector<bool> seen(n, false);
    for (const auto& [key, value] : form) {
        for (std::size_t i = 0; i < n; ++i) {
            if (layout.names[i] != key) continue;
            // As read_fields reads them: a std::vector member every value, a scalar the last.
            if (seen[i] && layout.multiple[i]) input[i] += ", ";
            else input[i].clear();
            input[i] += value;
            seen[i] = true;
        }
    }
    std::vector<bool> replaced(n, false);  // the field's vial::message is already in
    for (const error_detail& e : details) {
        std::size_t at = n;
        std::string_view key;
        if (e.where.size() >= 2) {
            if (const auto* s = std::get_if<std::string>(&e.where[1])) {
                key = *s;
                for (std::size_t i = 0; i < n && at == n; ++i)
                    if (layout.names[i] == key) at = i;
            }
        }
        if (at == n) {
            std::string m;
            if (!key.empty()) m.append(key).append(": ");
            m += e.msg;
            form_errors.push_back(std::move(m));
        } else if (!layout.messages[at].empty()) {
            if (!replaced[at]) errors[at] = std::string(layout.messages[at]);
            replaced[at] = true;
        } else {
            append_field_message(errors[at], e.msg);
        }
    }
}

error_detail custom_form_error(std::string_view field, std::string_view input, std::string message) {
    error_detail e;
    e.type = "value_error";
    e.where = loc{std::string("body")};
    if (!field.empty()) e.where.emplace_back(std::string(field));
    e.msg = "Value error, ";  // pydantic's msg for a validator's ValueError
    e.msg += message;
    e.input = std::string(input);
    return e;
}

}  // namespace vial::detail

// A typed CRUD API: structs in and out, 422s with locations, an OpenAPI 3.1 document and
// Swagger UI, all derived from the types.
//
//   ./todo_api --port 8080       then:
//   curl -X POST localhost:8080/todos -H 'Content-Type: application/json' -d '{"title": "buy milk"}'
//   ./todo_api --openapi         prints the OpenAPI document
//   open http://127.0.0.1:8080/docs
#include <vial/openapi.hpp>
#include <vial/typed.hpp>
#include <vial/vial.hpp>

#include <algorithm>
#include <cstddef>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace todo_api {

enum class priority { low, normal, high };

}  // namespace todo_api

template <>
struct vial::enum_strings<todo_api::priority> {
    static constexpr vial::enum_string<todo_api::priority> values[] = {
        {todo_api::priority::low, "low"}, {todo_api::priority::normal, "normal"}, {todo_api::priority::high, "high"}};
};

namespace todo_api {

/// One step of a todo.
struct item {
    BOOST_HANA_DEFINE_STRUCT(item, (std::string, name), (bool, done));
    static constexpr auto rules = vial::rules(vial::field<"name">(vial::min_length(1), vial::max_length(100)),
                                              vial::field<"done">(vial::default_value(false)));
};

/// What a client sends to create or replace a todo: ten fields, one a list of items.
struct new_todo {
    BOOST_HANA_DEFINE_STRUCT(new_todo,
        (std::string, title),
        (std::optional<std::string>, description),
        (priority, level),
        (std::vector<std::string>, tags),
        (std::vector<item>, items),
        (bool, done),
        (std::optional<int>, estimate_minutes),
        (std::optional<vial::uuid>, owner),
        (std::optional<std::string>, due),
        (double, progress));
    static constexpr auto rules = vial::rules(
        vial::field<"title">(vial::min_length(1), vial::max_length(200), vial::examples("buy milk")),
        vial::field<"level">(vial::default_value(priority::normal)),
        vial::field<"tags">(vial::max_length(10), vial::default_value()),
        vial::field<"items">(vial::max_length(50), vial::default_value()),
        vial::field<"done">(vial::default_value(false)),
        vial::field<"estimate_minutes">(vial::minimum(1), vial::maximum(10000)),
        vial::field<"progress">(vial::minimum(0), vial::maximum(1), vial::default_value(0.0)),
        vial::forbid_extra, vial::description("A todo to create or replace"));
};

/// A stored todo: what the API answers with.
struct todo {
    BOOST_HANA_DEFINE_STRUCT(todo,
        (int, id),
        (std::string, title),
        (std::optional<std::string>, description),
        (priority, level),
        (std::vector<std::string>, tags),
        (std::vector<item>, items),
        (bool, done),
        (std::optional<int>, estimate_minutes),
        (std::optional<vial::uuid>, owner),
        (std::optional<std::string>, due),
        (double, progress));
};

/// A partial update: only the fields given change.
struct todo_patch {
    BOOST_HANA_DEFINE_STRUCT(todo_patch,
        (std::optional<std::string>, title),
        (std::optional<priority>, level),
        (std::optional<std::vector<std::string>>, tags),
        (std::optional<bool>, done),
        (std::optional<double>, progress));
    static constexpr auto rules = vial::rules(vial::field<"title">(vial::min_length(1), vial::max_length(200)),
                                              vial::field<"progress">(vial::minimum(0), vial::maximum(1)),
                                              vial::forbid_extra);
};

/// The list's filters: `?done=true&tag=home&tag=work&q=milk&limit=10&offset=20`.
struct todo_filter {
    BOOST_HANA_DEFINE_STRUCT(todo_filter,
        (std::optional<bool>, done),
        (std::vector<std::string>, tag),
        (std::optional<std::string>, q),
        (int, limit),
        (int, offset));
    static constexpr auto rules = vial::rules(
        vial::field<"tag">(vial::default_value(), vial::description("todos with all of these tags")),
        vial::field<"q">(vial::description("a piece of the title")),
        vial::field<"limit">(vial::minimum(1), vial::maximum(100), vial::default_value(20)),
        vial::field<"offset">(vial::minimum(0), vial::default_value(0)));
};

/// The body of a 404.
struct api_error {
    BOOST_HANA_DEFINE_STRUCT(api_error, (std::string, detail));
};

/// The todos, in memory, shared by the server's threads.
class todo_store {
public:
    todo add(new_todo t) {
        const std::lock_guard lock(mutex_);
        todo stored = from(next_id_++, std::move(t));
        todos_[stored.id] = stored;
        return stored;
    }
    std::optional<todo> find(int id) const {
        const std::lock_guard lock(mutex_);
        const auto it = todos_.find(id);
        if (it == todos_.end()) return std::nullopt;
        return it->second;
    }
    std::vector<todo> list(const todo_filter& f) const {
        const std::lock_guard lock(mutex_);
        std::vector<todo> out;
        int skipped = 0;
        for (const auto& entry : todos_) {
            const todo& t = entry.second;
            if (f.done && t.done != *f.done) continue;
            if (f.q && t.title.find(*f.q) == std::string::npos) continue;
            const bool has_tags = std::all_of(f.tag.begin(), f.tag.end(), [&](const std::string& tag) {
                return std::find(t.tags.begin(), t.tags.end(), tag) != t.tags.end();
            });
            if (!has_tags) continue;
            if (skipped++ < f.offset) continue;
            if (static_cast<int>(out.size()) == f.limit) break;
            out.push_back(t);
        }
        return out;
    }
    std::optional<todo> replace(int id, new_todo t) {
        const std::lock_guard lock(mutex_);
        const auto it = todos_.find(id);
        if (it == todos_.end()) return std::nullopt;
        it->second = from(id, std::move(t));
        return it->second;
    }
    std::optional<todo> patch(int id, todo_patch p) {
        const std::lock_guard lock(mutex_);
        const auto it = todos_.find(id);
        if (it == todos_.end()) return std::nullopt;
        todo& t = it->second;
        if (p.title) t.title = std::move(*p.title);
        if (p.level) t.level = *p.level;
        if (p.tags) t.tags = std::move(*p.tags);
        if (p.done) t.done = *p.done;
        if (p.progress) t.progress = *p.progress;
        return t;
    }
    bool remove(int id) {
        const std::lock_guard lock(mutex_);
        return todos_.erase(id) == 1;
    }

private:
    static todo from(int id, new_todo t) {
        return todo{id, std::move(t.title), std::move(t.description), t.level, std::move(t.tags), std::move(t.items),
                    t.done, t.estimate_minutes, t.owner, std::move(t.due), t.progress};
    }

    mutable std::mutex mutex_;
    std::map<int, todo> todos_;
    int next_id_ = 1;
};

using todo_or_404 = vial::responses<vial::ok<todo>, vial::not_found<api_error>>;

vial::created<todo> create_todo(vial::json<new_todo> body, todo_store& store);

std::vector<todo> list_todos(vial::query<todo_filter> filter, const todo_store& store) {
    return store.list(*filter);
}

api_error no_such_todo(int id) { return api_error{"no todo " + std::to_string(id)}; }

todo_or_404 get_todo(int todo_id, const todo_store& store) {
    if (auto t = store.find(todo_id)) return vial::ok<todo>{std::move(*t)};
    return vial::not_found<api_error>{no_such_todo(todo_id)};
}

todo_or_404 replace_todo(int todo_id, vial::json<new_todo> body, todo_store& store) {
    if (auto t = store.replace(todo_id, std::move(*body))) return vial::ok<todo>{std::move(*t)};
    return vial::not_found<api_error>{no_such_todo(todo_id)};
}

todo_or_404 patch_todo(int todo_id, vial::json<todo_patch> body, todo_store& store) {
    if (auto t = store.patch(todo_id, std::move(*body))) return vial::ok<todo>{std::move(*t)};
    return vial::not_found<api_error>{no_such_todo(todo_id)};
}

vial::responses<vial::no_content, vial::not_found<api_error>> delete_todo(int todo_id, todo_store& store) {
    if (store.remove(todo_id)) return vial::no_content{};
    return vial::not_found<api_error>{no_such_todo(todo_id)};
}

/// The body back as it came: the benchmark's baseline for a typed POST of the same bytes.
vial::response echo(const vial::request& req) { return vial::response(200, req.body(), "application/json"); }

constexpr auto todos = vial::blueprint<"todos", "">(
    vial::post<"/todos", create_todo>().doc({.summary = "Create a todo",
                                             .description = "Stores a todo; answers 201 with it and its URL."}),
    vial::get<"/todos", list_todos>().doc({.summary = "List todos",
                                           .description = "Filters by state, tags (all must match) and title."}),
    vial::get<"/todos/<int(min=1):todo_id>", get_todo>().doc({.summary = "Get a todo"}),
    vial::put<"/todos/<int(min=1):todo_id>", replace_todo>().doc({.summary = "Replace a todo"}),
    vial::patch<"/todos/<int(min=1):todo_id>", patch_todo>().doc({.summary = "Change some fields of a todo"}),
    vial::del<"/todos/<int(min=1):todo_id>", delete_todo>().doc({.summary = "Delete a todo"}));

constexpr auto app = vial::app(
    todos,
    vial::post<"/echo", echo>().doc({.summary = "Echo the body", .tags = {"benchmark"}}),
    vial::openapi::routes());

vial::created<todo> create_todo(vial::json<new_todo> body, todo_store& store) {
    todo t = store.add(std::move(*body));
    std::string location = vial::url_for<"todos.get_todo", app>(t.id);
    return {std::move(t), std::move(location)};
}

}  // namespace todo_api

int main(int argc, char** argv) {
    todo_api::todo_store store;
    const vial::openapi::spec spec(todo_api::app, {.title = "Todo API",
                                                   .version = "1.0.0",
                                                   .description = "vial's typed example: CRUD on todos."});
    return vial::run(todo_api::app, argc, argv, store, spec);
}

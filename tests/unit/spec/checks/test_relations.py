"""References between models: bases, datasources, relation targets and keys."""

from __future__ import annotations

from tests.unit.spec.conftest import Manifests


def test_a_relation_to_an_unknown_model_names_the_closest_model(manifests: Manifests) -> None:
    errors = manifests.errors(
        """\
        apiVersion: composer/v1
        name: gallery
        models:
          User: {}
          Todo:
            relations:
              owner: {type: belongsTo, model: Usr}
        """
    )
    assert errors == (
        "composer.yaml:7:39: error[CMP116] models.Todo.relations.owner.model: "
        "unknown model 'Usr'\n"
        "  hint: did you mean 'User'? defined models: User, Todo"
    )


def test_an_unknown_base_model_is_rejected(manifests: Manifests) -> None:
    errors = manifests.errors(
        "apiVersion: composer/v1\nname: gallery\nmodels:\n  Todo: {base: Entity}\n"
    )
    assert errors == (
        "composer.yaml:4:16: error[CMP116] models.Todo.base: unknown model 'Entity'\n"
        "  hint: defined models: Todo"
    )


def test_an_unknown_datasource_suggests_the_closest(manifests: Manifests) -> None:
    errors = manifests.errors(
        """\
        apiVersion: composer/v1
        name: gallery
        datasources:
          main: {connector: memory}
        models:
          Todo: {datasource: mian, rest: false}
        """
    )
    assert errors == (
        "composer.yaml:6:22: error[CMP117] models.Todo.datasource: unknown datasource 'mian'\n"
        "  hint: did you mean 'main'? defined datasources: main"
    )


def test_a_missing_foreign_key_property_names_the_default_it_looked_for(
    manifests: Manifests,
) -> None:
    errors = manifests.errors(
        """\
        apiVersion: composer/v1
        name: gallery
        models:
          TodoList:
            properties: {id: {type: integer, id: true}}
            relations:
              todos: {type: hasMany, model: Todo}
          Todo:
            properties: {id: {type: integer, id: true}}
            relations:
              list: {type: belongsTo, model: TodoList, keyTo: uid}
        """
    )
    assert errors == (
        "composer.yaml:7:7: error[CMP118] models.TodoList.relations.todos: "
        "'todoListId' is not a property of 'Todo'\n"
        "  hint: add 'todoListId' to the properties of 'Todo', or set foreignKey\n"
        "composer.yaml:11:7: error[CMP118] models.Todo.relations.list: "
        "'listId' is not a property of 'Todo'\n"
        "  hint: add 'listId' to the properties of 'Todo', or set foreignKey\n"
        "composer.yaml:11:55: error[CMP118] models.Todo.relations.list.keyTo: "
        "'uid' is not a property of 'TodoList'\n"
        "  hint: add 'uid' to the properties of 'TodoList', or set keyTo"
    )


def test_a_relation_to_a_model_without_an_id_says_so(manifests: Manifests) -> None:
    errors = manifests.errors(
        """\
        apiVersion: composer/v1
        name: gallery
        models:
          Tag: {properties: {label: string}}
          Todo:
            properties: {tagId: string}
            relations:
              tag: {type: belongsTo, model: Tag}
        """
    )
    assert errors == (
        "composer.yaml:8:7: error[CMP118] models.Todo.relations.tag: "
        "model 'Tag' has no id property for the relation to refer to\n"
        "  hint: mark an id property of 'Tag' (id: true), or set keyTo"
    )


def test_key_types_must_match(manifests: Manifests) -> None:
    errors = manifests.errors(
        """\
        apiVersion: composer/v1
        name: gallery
        models:
          TodoList:
            properties: {id: {type: integer, id: true}}
          Todo:
            properties: {todoListId: string, listIds: {type: array, items: string}}
            relations:
              todoList: {type: belongsTo, model: TodoList}
              lists: {type: referencesMany, model: TodoList, foreignKey: listIds}
        """
    )
    assert errors == (
        "composer.yaml:9:7: error[CMP119] models.Todo.relations.todoList: "
        "'Todo.todoListId' is a string but 'TodoList.id' is an integer\n"
        "  hint: make 'Todo.todoListId' an integer\n"
        "composer.yaml:10:7: error[CMP119] models.Todo.relations.lists: "
        "'Todo.listIds' is an array of string but 'TodoList.id' is an integer\n"
        "  hint: make 'Todo.listIds' an array of integer"
    )


def test_a_relation_named_like_a_property_is_rejected(manifests: Manifests) -> None:
    errors = manifests.errors(
        """\
        apiVersion: composer/v1
        name: gallery
        models:
          User:
            properties: {id: {type: integer, id: true}, profile: object}
            relations:
              profile: {type: hasOne, model: Profile}
          Profile:
            properties: {id: {type: integer, id: true}, userId: integer}
        """
    )
    assert errors == (
        "composer.yaml:7:7: error[CMP120] models.User.relations.profile: "
        "relation 'profile' has the name of a property of 'User'\n"
        "  hint: rename the relation or the property: both would be fields of one JSON object"
    )


def test_a_missing_through_model_is_rejected(manifests: Manifests) -> None:
    errors = manifests.errors(
        """\
        apiVersion: composer/v1
        name: gallery
        models:
          Doctor:
            properties: {id: {type: integer, id: true}}
            relations:
              patients: {type: hasMany, model: Patient, through: {model: Appointmnt}}
          Patient:
            properties: {id: {type: integer, id: true}}
          Appointment:
            properties: {doctorId: integer, patientId: integer}
        """
    )
    assert errors == (
        "composer.yaml:7:66: error[CMP121] models.Doctor.relations.patients.through.model: "
        "unknown through model 'Appointmnt'\n"
        "  hint: did you mean 'Appointment'? defined models: Doctor, Patient, Appointment"
    )


def test_through_keys_are_checked_on_the_through_model(manifests: Manifests) -> None:
    errors = manifests.errors(
        """\
        apiVersion: composer/v1
        name: gallery
        models:
          Doctor:
            properties: {id: {type: integer, id: true}}
            relations:
              patients: {type: hasMany, model: Patient, through: {model: Appointment}}
          Patient:
            properties: {id: {type: string, id: true}}
          Appointment:
            properties: {doctorId: integer, patientId: integer}
        """
    )
    assert errors == (
        "composer.yaml:7:7: error[CMP119] models.Doctor.relations.patients: "
        "'Appointment.patientId' is an integer but 'Patient.id' is a string\n"
        "  hint: make 'Appointment.patientId' a string"
    )


def test_a_base_model_cycle_is_shown_once(manifests: Manifests) -> None:
    errors = manifests.errors(
        """\
        apiVersion: composer/v1
        name: gallery
        models:
          A: {base: B}
          B: {base: C}
          C: {base: A}
          D: {base: D}
        """
    )
    assert errors == (
        "composer.yaml:4:13: error[CMP122] models.A.base: "
        "base models form a cycle: A -> B -> C -> A\n"
        "  hint: a model cannot inherit from itself: remove one base\n"
        "composer.yaml:7:13: error[CMP122] models.D.base: base models form a cycle: D -> D\n"
        "  hint: a model cannot inherit from itself: remove one base"
    )


def test_inherited_keys_are_found(manifests: Manifests) -> None:
    app = manifests.spec(
        """\
        apiVersion: composer/v1
        name: gallery
        models:
          Owned:
            properties: {ownerId: integer}
          User:
            properties: {id: {type: integer, id: true}}
          Todo:
            base: Owned
            properties: {id: {type: integer, id: true}}
            relations:
              owner: {type: belongsTo, model: User}
        """
    )
    assert app.models["Todo"].base == "Owned"


def test_foreign_key_and_key_to_naming_different_properties_are_rejected(
    manifests: Manifests,
) -> None:
    errors = manifests.errors(
        """\
        apiVersion: composer/v1
        name: gallery
        models:
          TodoList:
            properties: {id: {type: integer, id: true}}
            relations:
              todos: {type: hasMany, model: Todo, foreignKey: listId, keyTo: todoListId}
          Todo:
            properties: {listId: integer, todoListId: integer}
        """
    )
    assert errors == (
        "composer.yaml:7:70: error[CMP129] models.TodoList.relations.todos.keyTo: "
        "foreignKey 'listId' and keyTo 'todoListId' name different properties\n"
        "  hint: keyTo is LoopBack 4's name for foreignKey: set one of them"
    )

"""The verb registry beside the transition table: one verb per action, named after it, taking what it is given."""

import inspect

import pytest

from motcua.backoffice.forms import ACTION_FORMS
from motcua.backoffice.selectors import BACKOFFICE_ACTIONS
from motcua.dossiers import actions
from motcua.dossiers.workflow import TRANSITIONS, VERBS, ActionInput, WorkflowError, take, verb_function


def test_the_registry_and_the_table_have_the_same_actions():
    assert list(VERBS) == list(TRANSITIONS)


@pytest.mark.parametrize("action", list(VERBS))
def test_every_verb_is_a_function_that_takes_what_it_is_given(action):
    function = verb_function(action)
    parameters = inspect.signature(function).parameters
    if VERBS[action].on_request:
        assert {"actor", "expected_version", "at"} <= set(parameters)
    fields = set(ActionInput.__dataclass_fields__)
    for name, source in VERBS[action].inputs.items():
        assert name in parameters, (action, name)
        assert source in fields, (action, source)


@pytest.mark.parametrize("action", [a for a, verb in VERBS.items() if verb.on_request])
def test_a_dossier_verb_is_named_after_its_action(action):
    name = verb_function(action).__name__
    if action == "approve":  # signs the draft result, if any, together with `approve_dossier`
        assert name == "approve_with_result" and callable(actions.approve_dossier)
        return
    assert name in (action, f"{action}_dossier")
    assert getattr(actions, name) is verb_function(action)


def test_the_back_office_offers_exactly_the_actions_taken_on_request():
    assert set(BACKOFFICE_ACTIONS) == set(ACTION_FORMS) == {a for a, verb in VERBS.items() if verb.on_request}


@pytest.mark.parametrize("action", ["auto_complete", "tax_notice", "external_fallback", "no_such_action"])
def test_actions_not_taken_on_request_are_unknown_to_take(action):
    with pytest.raises(WorkflowError) as raised:
        take(action, None, ActionInput(actor=None))  # type: ignore[arg-type]
    assert raised.value.code == "unknown_action"

"""Measure an LLM planner honestly: on questions the rules cannot plan, how often the model gives a
valid plan, how often the engine accepts it (answers), how often that answer is right, and any
wrong number — beside the rules alone on the same questions."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from budgetqa.answer import ask
from budgetqa.chat import LLMOptions, converse, needs_agent
from budgetqa.eval.runner import run_sets
from budgetqa.settings import Settings


def run_planning(paths: list[Path], llm, settings: Settings) -> dict:
    """Each question answered by the rules alone and with ``llm`` planning what the rules cannot."""
    asked_model: set[str] = set()

    def with_model(store, question: str):
        rules = ask(store, question)
        if not needs_agent(rules):
            return rules
        asked_model.add(question)
        return converse(store, question, llm=llm, options=replace(LLMOptions.from_settings(settings), mode="plan"))

    rules = run_sets(paths)
    model = run_sets(paths, with_model)
    outcomes = [o for o in model["outcomes"] if o["question"] in asked_model]
    asked = len(outcomes) or 1
    return {
        "questions": model["questions"],
        "rules": {"correct": rules["correct"], "accuracy": rules["accuracy"], "wrong_numbers": rules["wrong_numbers"]},
        "with_model": {"correct": model["correct"], "accuracy": model["accuracy"],
                       "wrong_numbers": model["wrong_numbers"]},
        "model": {
            "asked": len(outcomes),
            "valid_plans": sum(o["phrased"] is not None for o in outcomes),
            "accepted": sum(o["planner"] == "llm" for o in outcomes),
            "correct": sum(o["correct"] for o in outcomes),
            "valid_plan_rate": round(sum(o["phrased"] is not None for o in outcomes) / asked * 100, 2),
            "latency_ms_p50": model["latency_ms"]["p50"],
        },
        "outcomes": model["outcomes"],
    }

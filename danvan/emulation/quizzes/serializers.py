"""Serializers of the quiz API: inputs that parse shapes (the services decide), plain outputs."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from danvan.core.api import BoundedListField, TextField
from danvan.orgs.api.serializers import UnitCodeField

from .models import Choice, Difficulty, Question, Quiz


class ChoiceInput(serializers.Serializer):
    text = TextField(max_length=1000)
    correct = serializers.BooleanField(required=False, default=False)


class QuestionInput(serializers.Serializer):
    unit = UnitCodeField()
    text = TextField(max_length=4000)
    topic = TextField(max_length=200)
    difficulty = serializers.ChoiceField(choices=Difficulty.choices)
    source = TextField(max_length=300)
    explanation = TextField(max_length=4000)
    choices = BoundedListField(child=ChoiceInput(), max_length=10)


class QuestionListParams(serializers.Serializer):
    topic = serializers.CharField(required=False, max_length=200, help_text=_("Topic name."))
    difficulty = serializers.ChoiceField(required=False, choices=Difficulty.choices)


class ChoiceOutput(serializers.ModelSerializer):
    letter = serializers.CharField(read_only=True)

    class Meta:
        model = Choice
        fields = ["id", "letter", "text", "correct"]


class QuestionOutput(serializers.ModelSerializer):
    unit = serializers.CharField(source="unit.code", read_only=True)
    topic = serializers.CharField(source="topic.name", read_only=True)
    choices = ChoiceOutput(many=True, read_only=True)

    class Meta:
        model = Question
        fields = ["id", "unit", "text", "topic", "difficulty", "source", "explanation", "active", "choices"]


class QuizOutput(serializers.ModelSerializer):
    unit = serializers.CharField(source="unit.code", read_only=True)
    topics = serializers.SlugRelatedField(many=True, read_only=True, slug_field="name")

    class Meta:
        model = Quiz
        fields = [
            "id",
            "unit",
            "title",
            "topics",
            "easy_count",
            "medium_count",
            "hard_count",
            "minutes",
            "opens_on",
            "closes_on",
            "attempts_allowed",
            "shuffle_choices",
        ]


class PersonResult(serializers.Serializer):
    name = serializers.CharField()
    unit = serializers.CharField()
    attempts = serializers.IntegerField()
    right = serializers.IntegerField()
    total = serializers.IntegerField()
    score = serializers.DecimalField(max_digits=5, decimal_places=2)
    percent = serializers.DecimalField(max_digits=5, decimal_places=1)


class UnitResult(serializers.Serializer):
    name = serializers.CharField()
    people = serializers.IntegerField()
    took = serializers.IntegerField()
    participation = serializers.DecimalField(max_digits=5, decimal_places=1, allow_null=True)
    average = serializers.DecimalField(max_digits=5, decimal_places=2, allow_null=True)


class ChoiceResult(serializers.Serializer):
    id = serializers.IntegerField(source="choice.pk")
    text = serializers.CharField(source="choice.text")
    correct = serializers.BooleanField(source="choice.correct")
    picked = serializers.IntegerField()


class QuestionResult(serializers.Serializer):
    id = serializers.IntegerField(source="question.pk")
    text = serializers.CharField(source="question.text")
    asked = serializers.IntegerField()
    right = serializers.IntegerField()
    share = serializers.DecimalField(max_digits=5, decimal_places=1)
    choices = ChoiceResult(many=True)


class ResultsOutput(serializers.Serializer):
    eligible = serializers.IntegerField()
    took = serializers.IntegerField()
    participation = serializers.DecimalField(max_digits=5, decimal_places=1, allow_null=True)
    average = serializers.DecimalField(max_digits=5, decimal_places=2, allow_null=True)
    people = PersonResult(many=True)
    units = UnitResult(many=True)
    questions = QuestionResult(many=True)
